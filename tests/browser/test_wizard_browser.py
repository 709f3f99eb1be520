"""The Migrate dialog used in a real browser: JupyterLab + headless Debian Chromium.

The test copies tests/browser/wizard_lab.ipynb (French, the course's prerequisites done)
to a temporary folder, starts JupyterLab from this virtualenv on it (inheriting the
session's LAB_STATE_DIR and LAB_CONFIG, so the kernel reaches the test session's
simulator), opens it in headless Chromium driven by Playwright, runs all cells and then
clicks through the dialog as a student would:

- page by page in French, to a successful migration: each page's title, the hosts with
  the server's verdict, the compatibility panel, Suivant and Terminer; the migration is
  read back from the inventory with lablib (not from the page);
- in demo mode (`python -m lablib sim reset --demo 3000`), the progress bar moves while
  the task runs: its width rises at least twice when the simulator reports progress,
  else the bar is animated (a sliding striped segment) and the clock counts (CSS).

Screenshots of each page, the result and the running bar go to tests/artifacts/
(git-ignored), with JupyterLab's log. Every wait is on a selector or a condition, with
generous timeouts (2 shared cores in CI); nothing sleeps in Python. Missing Chromium or
Playwright FAILS the test with the install commands: CI must never skip it silently.
"""

import itertools
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from jupyter import (
    launch_chromium,
    run_all_cells,
    serving,
    visible_errors,
)

import lablib
from lablib import config as lab_config
from lablib import sim

pytestmark = pytest.mark.browser

HERE = Path(__file__).resolve().parent
ARTIFACTS = HERE.parent / "artifacts"
NOTEBOOK = HERE / "wizard_lab.ipynb"
TIMEOUT_MS = 180_000       # a cell, a check or a migration on a loaded CI machine
DEMO_MS = 3000


@pytest.fixture
def jupyterlab(lab, tmp_path):
    """JupyterLab on a copy of the test notebook, after the simulator was reset."""
    with serving(NOTEBOOK, tmp_path, ARTIFACTS / "wizard_browser_jupyterlab.log") as server:
        yield server


@pytest.fixture
def demo_mode(lab):
    """The simulator in demo mode, as an instructor starts it; back to normal after."""
    done = subprocess.run([sys.executable, "-m", "lablib", "sim", "reset", "--demo",
                           str(DEMO_MS)], capture_output=True, text=True, timeout=300,
                          env=dict(os.environ))
    assert done.returncode == 0, done.stderr
    yield
    sim.reset(lab_config.load(), delay_ms=0)


def open_dialog(playwright, jupyterlab, tmp_path, expect):
    context = launch_chromium(playwright, tmp_path / "chromium-profile")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    page.goto(jupyterlab.url(f"lab/tree/{NOTEBOOK.name}"))
    run_all_cells(page, expect, NOTEBOOK.name, TIMEOUT_MS)
    assert visible_errors(page) == []
    wizard = page.locator(".lablib-wizard")
    expect(wizard).to_be_visible()
    return context, page, wizard


def next_page(wizard, expect, title):
    wizard.locator("button.lablib-next").click()
    expect(wizard.locator(".lablib-page-title")).to_contain_text(title)


def test_the_french_migrate_dialog_page_by_page(lab, jupyterlab, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    roles = lab.roles
    with sync_playwright() as playwright:
        context, page, wizard = open_dialog(playwright, jupyterlab, tmp_path, expect)
        try:
            dialog = wizard.locator(".lablib-dialog")
            expect(dialog).to_contain_text(f"{roles.vm} — Migrer")
            expect(wizard.locator(".lablib-page-title")).to_contain_text(
                "1 Sélectionner un type de migration")
            expect(wizard.locator(".lablib-kind")).to_contain_text(
                "Changer uniquement la ressource de calcul")
            finish = wizard.locator("button.lablib-finish")
            expect(finish).to_be_disabled()
            dialog.screenshot(path=ARTIFACTS / "fr_dialog_1_type.png")

            next_page(wizard, expect, "2 Sélectionner une ressource de calcul")
            hosts = wizard.locator(".lablib-host")
            expect(hosts).to_contain_text(f"{roles.source_host} — hôte actuel de la VM")
            expect(hosts).to_contain_text(f"{roles.destination_host} — compatible")
            hosts.locator("label", has_text=roles.destination_host).click()
            compat = wizard.locator(".lablib-compat")
            expect(compat).to_contain_text("Les vérifications de compatibilité ont réussi")
            dialog.screenshot(path=ARTIFACTS / "fr_dialog_2_compute.png")

            next_page(wizard, expect, "3 Sélectionner les réseaux")
            expect(wizard.locator(".lablib-network select")).to_have_value(roles.vm_network)
            expect(wizard.locator(".lablib-network")).to_contain_text("Réseau de destination")
            dialog.screenshot(path=ARTIFACTS / "fr_dialog_3_networks.png")

            next_page(wizard, expect, "4 Sélectionner la priorité de vMotion")
            expect(wizard.locator(".lablib-priority")).to_contain_text(
                "Planifier vMotion avec une priorité élevée (recommandé)")
            dialog.screenshot(path=ARTIFACTS / "fr_dialog_4_priority.png")

            next_page(wizard, expect, "5 Prêt à terminer")
            expect(wizard.locator(".lablib-details")).to_contain_text("Récapitulatif")
            expect(wizard.locator("button.lablib-next")).to_be_disabled()
            expect(finish).to_be_enabled()
            dialog.screenshot(path=ARTIFACTS / "fr_dialog_5_ready.png")

            finish.click()
            summary = wizard.locator(".lablib-summary")   # written last by the wizard
            expect(summary).to_contain_text(f"{roles.vm} migrée (ressource de calcul "
                                            "uniquement)")
            expect(summary).to_contain_text("Tâche : Migrer la machine virtuelle")
            expect(summary).to_contain_text("Terminée")
            row = page.locator(".lablib-dashboard tr", has_text=roles.vm)
            expect(row).to_contain_text(roles.destination_host)   # the dashboard refreshed
            expect(finish).to_be_disabled()
            expect(wizard.locator("button.lablib-cancel")).to_have_text("Nouvelle migration")
            expect(wizard.locator(".lablib-output")).not_to_contain_text("Erreur")
            picture = wizard.locator(".lablib-picture img")
            expect(picture).to_be_visible()
            assert picture.evaluate("img => img.complete && img.naturalWidth") > 200
            wizard.screenshot(path=ARTIFACTS / "fr_dialog_6_done.png")
            assert visible_errors(page) == []
        except BaseException:   # pytest.fail() too
            page.screenshot(path=ARTIFACTS / "wizard_browser_failure.png", full_page=True)
            raise
        finally:
            context.close()
    # The inventory, read with lablib, is the judge (not the page).
    placement = lablib.connect().placement(roles.vm)
    assert placement.host == roles.destination_host
    assert placement.datastores == (roles.shared_datastore,)


#: Samples the bar every 100 ms, in the page, until the wizard shows its result.
SAMPLE_BAR = """async (timeout) => {
    const samples = [];
    const start = Date.now();
    while (Date.now() - start < timeout) {
        const box = document.querySelector('.lablib-wizard .lablib-progress');
        const bar = box && box.querySelector('.progress-bar');
        const clock = document.querySelector('.lablib-wizard .lablib-clock');
        samples.push({
            width: bar ? parseFloat(bar.style.width) : null,
            running: !!box && box.classList.contains('lablib-running'),
            indeterminate: !!box && box.classList.contains('lablib-indeterminate'),
            animation: bar ? getComputedStyle(bar).animationName : '',
            clock: clock ? getComputedStyle(clock).animationName : '',
        });
        if (document.querySelector('.lablib-wizard .lablib-summary .lablib-done')) break;
        await new Promise(resolve => setTimeout(resolve, 100));
    }
    return samples;
}"""


def rises(widths):
    """Return how many times the bar's width went up between samples."""
    return sum(1 for before, after in itertools.pairwise(widths) if after > before)


def test_in_demo_mode_the_bar_moves_during_a_migration(lab, demo_mode, jupyterlab,
                                                        tmp_path):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        context, page, wizard = open_dialog(playwright, jupyterlab, tmp_path, expect)
        try:
            for title in ("2 Sélectionner une ressource de calcul",
                          "3 Sélectionner les réseaux",
                          "4 Sélectionner la priorité de vMotion", "5 Prêt à terminer"):
                next_page(wizard, expect, title)
            wizard.locator("button.lablib-finish").click()
            expect(wizard.locator(".lablib-progress.lablib-running")).to_be_visible()
            wizard.locator(".lablib-progress").locator("..").screenshot(
                path=ARTIFACTS / "fr_dialog_running_bar.png")
            samples = page.evaluate(SAMPLE_BAR, TIMEOUT_MS)
            expect(wizard.locator(".lablib-summary")).to_contain_text("migrée")
        except BaseException:
            page.screenshot(path=ARTIFACTS / "wizard_demo_failure.png", full_page=True)
            raise
        finally:
            context.close()
    running = [s for s in samples if s["running"]]
    assert running, samples   # the task ran for DEMO_MS: the page saw it running
    reported = [s["width"] for s in running if not s["indeterminate"]]
    if reported:   # the simulator reports info.progress: the bar follows it
        assert rises(reported) >= 2, reported
    else:          # no progress reported: the bar is animated, the clock counts
        assert all(s["indeterminate"] for s in running)
        assert all("lablib-slide" in s["animation"] for s in running), running
        assert any("lablib-s" in s["clock"] for s in running), running
    assert not any(s["width"] == 0 and s["running"] for s in samples)   # never a still 0 %
    assert re.search(r"\d", str(samples[-1]["width"]))
