"""A refused operation as a student reads it: one block, in the notebook's language.

The block lists each failed rule with its fix, then the fault type and vCenter's own
(English) message as a secondary line. The same findings give the exception's text, its
HTML box (the notebook and the wizard) and the precheck table's notes. In a real kernel
the box replaces the traceback, and the kernel still records the error.
"""

import re
import textwrap

import pytest
from pyVmomi import vim

from lablib.errors import MigrationRefused
from lablib.notebook import ErrorBlock, error_html, short_message
from lablib.text import Text, render
from lablib.vmotion.findings import Finding, Precheck, refusal_text

STORAGE = Finding(
    "shared-storage", False,
    Text("The VM's files are on 'ESXi_1-local', which ESXi_2 does not mount.",
         "Les fichiers de la VM sont sur 'ESXi_1-local', que l'hôte ESXi_2 ne monte pas."),
    Text("Move its files to SharedDS first.", "Déplacez d'abord ses fichiers vers SharedDS."),
    fault=vim.fault.CannotAccessVmConfig(
        msg="Unable to access the virtual machine configuration: Unable to access file "
            "[ESXi_1-local] vm-local/vm-local.vmx"))
VMOTION = Finding(
    "vmotion-network", False,
    Text("No VMkernel adapter of ESXi_2 has the vMotion service.",
         "Aucun adaptateur VMkernel de l'hôte ESXi_2 n'a le service vMotion."),
    Text("lab.enable_vmotion('ESXi_2', 'vmk0')"),
    fault=vim.fault.VMotionNotConfigured(
        msg="The vMotion interface is not configured on the destination host 'ESXi_2'."))
CPU = Finding(
    "cpu", False,
    Text("The CPU of ESXi_2 lacks features <vm-local> uses.",
         "Le CPU de l'hôte ESXi_2 n'a pas toutes les fonctions qu'utilise <vm-local>."),
    Text("Configure EVC.", "Configurez EVC."), fault=vim.fault.CpuIncompatible(), simulated=True)
HEADLINE = Text("Migration of vm-local refused", "Migration de vm-local refusée")


def test_one_rule_in_english_and_french():
    block = refusal_text(HEADLINE, [STORAGE])
    assert block.render("en").splitlines() == [
        "Migration of vm-local refused:",
        "  ✘ The VM's files are on 'ESXi_1-local', which ESXi_2 does not mount.",
        "    Fix: Move its files to SharedDS first.",
        "    CannotAccessVmConfig — vCenter: Unable to access the virtual machine "
        "configuration: Unable to access file [ESXi_1-local] vm-local/vm-local.vmx"]
    assert block.render("fr").splitlines() == [
        "Migration de vm-local refusée :",
        "  ✘ Les fichiers de la VM sont sur 'ESXi_1-local', que l'hôte ESXi_2 ne monte pas.",
        "    Correction : Déplacez d'abord ses fichiers vers SharedDS.",
        "    CannotAccessVmConfig — vCenter : Unable to access the virtual machine "
        "configuration: Unable to access file [ESXi_1-local] vm-local/vm-local.vmx"]


def test_three_rules_give_one_block_of_three_entries():
    block = refusal_text(HEADLINE, [VMOTION, STORAGE, CPU])
    french = block.render("fr").splitlines()
    assert len(french) == 1 + 3 * 3 and french[0] == "Migration de vm-local refusée :"
    assert [line for line in french if line.startswith("  ✘")] == [
        "  ✘ Aucun adaptateur VMkernel de l'hôte ESXi_2 n'a le service vMotion.",
        "  ✘ Les fichiers de la VM sont sur 'ESXi_1-local', que l'hôte ESXi_2 ne monte pas.",
        "  ✘ Le CPU de l'hôte ESXi_2 n'a pas toutes les fonctions qu'utilise <vm-local>."]
    # A fault without a message shows its type; lablib's fallback says it simulated it.
    assert french[-1] == "    CpuIncompatible — vCenter (simulé par lablib) : CpuIncompatible"
    assert sum("Correction : " in line for line in french) == 3
    assert not any(word in " ".join(french) for word in ("Fix:", "refused", "Migration of"))


def test_the_html_box_styles_the_block_and_never_breaks_a_word():
    box = refusal_text(HEADLINE, [VMOTION, STORAGE, CPU]).html("fr")
    assert box.startswith("<div class='lablib-error-box lablib-refusal'")
    assert "border:1px solid #b00020" in box and "border-left:4px solid #b00020" in box
    assert "word-break:normal" in box and "overflow-wrap:break-word" in box
    assert "break-all" not in box
    # The rule in bold, its fix in normal weight after it, vCenter's line smaller and grey.
    entry = re.search(r"<li[^>]*>(.*?)</li>", box).group(1)
    assert re.match(r"<span style='font-weight:600'>✘ Aucun adaptateur[^<]*</span> "
                    r"Correction : lab\.enable_vmotion", entry)
    assert re.search(r"<div style='font-size:85%;color:#5f6368[^']*'>VMotionNotConfigured "
                     r"— vCenter : The vMotion interface", entry)
    assert "&lt;vm-local&gt;" in box and "<vm-local>" not in box   # escaped, not swallowed
    assert box.count("<li") == 3


def test_the_exception_carries_the_block_the_fault_and_the_findings():
    check = Precheck([STORAGE, VMOTION], vm="vm-local", kind="compute", source="ESXi_1",
                     destination="ESXi_2")
    error = check.refusal()
    assert isinstance(error, MigrationRefused)
    assert isinstance(error.fault, vim.fault.CannotAccessVmConfig)
    assert error.findings == [STORAGE, VMOTION]
    english, french = render(error.message, "en"), render(error.message, "fr")
    assert english.startswith("Migration of vm-local (compute resource only) ESXi_1 → ESXi_2 "
                              "refused:")
    assert french.startswith("Migration de vm-local (ressource de calcul uniquement) ESXi_1 → "
                             "ESXi_2 refusée :")
    # The precheck table says the same: its rows and, under it, vCenter's lines.
    table = check.tables()[0]
    assert render(table.notes[0], "fr").startswith(
        "✘ stockage partagé : CannotAccessVmConfig — vCenter : Unable to access")
    assert render(STORAGE.fix, "fr") in table.render("fr")


def test_a_notebook_shows_the_box_with_a_plain_twin():
    error = MigrationRefused(refusal_text(HEADLINE, [STORAGE]), STORAGE.fault, [STORAGE])
    bundle = ErrorBlock(error)._repr_mimebundle_()
    assert bundle["text/plain"] == str(error)
    assert bundle["text/html"].startswith(error_html(error))
    assert ":has(.lablib-error-box)" in bundle["text/html"]   # hides the repeated text
    [line] = short_message(error)
    assert line.startswith("\x1b[0;31mMigration of vm-local refused:\x1b[0m\n  ✘ ")


def test_another_lab_error_is_a_box_too():
    from lablib.errors import InputError

    box = error_html(InputError(Text("Unknown host.", "Hôte inconnu.")))
    assert "lablib-error-box lablib-error" in box and "Unknown host." in box


KERNEL_CODE = textwrap.dedent("""
    import lablib
    from lablib.errors import MigrationRefused
    from lablib.notebook import install_error_display
    from lablib.text import Text
    from lablib.vmotion.findings import Finding, refusal_text
    from pyVmomi import vim
    install_error_display()
    lablib.set_language("fr")
    finding = Finding("shared-storage", False, Text("files", "Les fichiers sont locaux."),
                      Text("fix", "Déplacez-les."), fault=vim.fault.CannotAccessVmConfig(
                          msg="Unable to access file"))
    raise MigrationRefused(refusal_text(Text("refused", "Migration refusée"), [finding]),
                           finding.fault, [finding])
""")


def test_in_a_real_kernel_the_box_replaces_the_traceback_and_the_error_is_recorded():
    from jupyter_client.manager import start_new_kernel

    manager, client = start_new_kernel(kernel_name="python3")
    try:
        msg_id = client.execute(KERNEL_CODE)
        reply = client.get_shell_msg(timeout=120)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = client.get_shell_msg(timeout=120)
        outputs = []
        while True:
            msg = client.get_iopub_msg(timeout=60)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                break
            if msg["msg_type"] in ("display_data", "error", "stream"):
                outputs.append(msg)
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    assert reply["content"]["status"] == "error"   # Run All stops here; nbval sees it
    kinds = [m["msg_type"] for m in outputs]
    assert kinds == ["display_data", "error"]
    html = outputs[0]["content"]["data"]["text/html"]
    assert "lablib-refusal" in html and "Correction : Déplacez-les." in html
    error = outputs[1]["content"]
    assert error["ename"] == "MigrationRefused"
    shown = "\n".join(error["traceback"])
    assert "Traceback" not in shown and "File " not in shown
    assert shown.startswith("\x1b[0;31mMigration refusée :")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_rules_have_names_in_both_languages(lang):
    from lablib.vmotion.findings import RULE_NAMES
    from lablib.vmotion.rules import RULES

    assert {rule.id for rule in RULES} <= set(RULE_NAMES)
    names = [render(RULE_NAMES[rule.id], lang) for rule in RULES]
    assert len(set(names)) == len(names) and not any("-" in name for name in names)
