"""Callback errors land in the widget's Output: one line for a LabError, a traceback else."""

import logging

import ipywidgets

from lablib.errors import NotFoundError
from lablib.widgets._log import MAX_LINES, OutputHandler, captured, write


class Panel:
    def __init__(self):
        self.output = ipywidgets.Output()
        self.error = None

    @captured
    def on_click(self, error=None):
        if error is not None:
            raise error
        return "done"


def test_a_callback_that_works_returns_and_clears_the_last_error():
    panel = Panel()
    panel.error = "old"
    assert panel.on_click() == "done"
    assert panel.error is None and panel.output.outputs == ()


def test_a_lab_error_is_one_short_line():
    panel = Panel()
    assert panel.on_click(NotFoundError("No host 'ESXi_3'. Did you mean 'ESXi_2'?")) is None
    assert panel.error == "No host 'ESXi_3'. Did you mean 'ESXi_2'?"
    [output] = panel.output.outputs
    assert output == {"output_type": "stream", "name": "stderr",
                      "text": "No host 'ESXi_3'. Did you mean 'ESXi_2'?\n"}


def test_a_bug_keeps_its_traceback_and_is_logged(caplog):
    panel = Panel()
    with caplog.at_level(logging.ERROR, logger="lablib.widgets"):
        panel.on_click(ZeroDivisionError("division by zero"))
    text = panel.output.outputs[0]["text"]
    assert text.startswith("Traceback (most recent call last)")
    assert "ZeroDivisionError: division by zero" in text
    assert caplog.records and caplog.records[0].exc_info


def test_the_output_keeps_the_last_lines_only():
    output = ipywidgets.Output()
    for n in range(MAX_LINES + 5):
        write(output, f"line {n}")
    assert len(output.outputs) == MAX_LINES
    assert output.outputs[-1]["text"] == f"line {MAX_LINES + 4}\n"


def test_a_logging_handler_writes_to_the_output():
    output = ipywidgets.Output()
    logger = logging.getLogger("lablib.test.widgets")
    logger.addHandler(OutputHandler(output))
    logger.setLevel(logging.INFO)
    try:
        logger.info("migration started")
        logger.warning("host in maintenance")
    finally:
        logger.handlers.clear()
    assert [(o["name"], o["text"]) for o in output.outputs] == [
        ("stdout", "migration started\n"), ("stderr", "host in maintenance\n")]
