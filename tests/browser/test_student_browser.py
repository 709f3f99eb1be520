"""A French student runs a whole lab with Run All, in real JupyterLab and headless Chromium.

The student version of lab 06 (labs/fr/06_local_storage.ipynb) fails on purpose once
(the compute-only migration of the VM on local storage) and leaves its exercises
unfilled. The test runs it from top to bottom and checks what the student sees:

- every cell ran (Run All went past the refusal, tagged `raises-exception`);
- the refusal is one red-bordered box in French, with the fix and vCenter's line, and
  no error text or traceback is visible (the kernel's error output hides under the box);
- no English refusal text anywhere ("Migration of", "refused:", "Fix:");
- each unfilled exercise shows its calm "À vous" line, and no NotImplementedError.

A screenshot of the refusal goes to tests/artifacts/fr_refusal.png.
"""

import re
from pathlib import Path

import pytest
from jupyter import (
    launch_chromium,
    outputs_text,
    run_all_cells,
    serving,
    visible_errors,
)

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "tests" / "artifacts"
NOTEBOOK = REPO / "labs" / "fr" / "06_local_storage.ipynb"
TIMEOUT_MS = 300_000    # a whole lab on a loaded CI machine
ENGLISH = ("Migration of", "refused:", "Fix:", "Traceback", "NotImplementedError",
           "Your turn", "not done yet")


@pytest.fixture
def jupyterlab(lab, tmp_path):
    with serving(NOTEBOOK, tmp_path, ARTIFACTS / "student_browser_jupyterlab.log") as server:
        yield server


def test_a_french_student_runs_lab_06_with_run_all(lab, jupyterlab, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        context = launch_chromium(playwright, tmp_path / "chromium-profile")
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        expect.set_options(timeout=TIMEOUT_MS)
        try:
            page.goto(jupyterlab.url(f"lab/tree/{NOTEBOOK.name}"))
            run_all_cells(page, expect, NOTEBOOK.name, TIMEOUT_MS)
            assert visible_errors(page) == []
            prompts = page.locator(".jp-CodeCell .jp-InputPrompt").all_inner_texts()
            assert prompts and all(re.search(r"\[\d+\]", p) for p in prompts), prompts

            refusal = page.locator(".jp-OutputArea-output .lablib-refusal").first
            expect(refusal).to_be_visible()
            expect(refusal).to_contain_text("Migration de vm-local")
            expect(refusal).to_contain_text("refusée")
            expect(refusal).to_contain_text("Correction : ")
            expect(refusal).to_contain_text("CannotAccessVmConfig — vCenter")
            style = refusal.evaluate("box => getComputedStyle(box).wordBreak")
            assert style != "break-all"
            refusal.screenshot(path=ARTIFACTS / "fr_refusal.png")

            shown = outputs_text(page)
            assert not [word for word in ENGLISH if word in shown], shown
            for exercise in ("06.1", "06.2", "06.3"):
                assert f"✎ {exercise} À vous : " in shown
                assert f"○ {exercise} pas encore fait : " in shown
            page.screenshot(path=ARTIFACTS / "fr_student_lab06.png", full_page=True)
        except BaseException:   # pytest.fail() too
            page.screenshot(path=ARTIFACTS / "student_browser_failure.png", full_page=True)
            raise
        finally:
            context.close()
