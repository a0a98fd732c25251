"""The design task in Chromium: the step builder at 1400 and 390 px (no sideways scroll), and the
workflow graph at 1 and 12 steps and the error Sankey with no label overlapping another and
nothing cut off (bounding boxes of the SVG text the browser drew)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from exercises import load_bank
from exercises.model import DesignWorkflowExercise
from store.attempts import save_draft
from store.db import make_engine, session_scope
from store.migrate import upgrade
from store.users import get_or_create_user
from tests.browser.conftest import serve_app, stop
from tests.browser.test_ux_browser import overflow, settle

pytestmark = pytest.mark.browser
BANK = load_bank()
DESIGNS: list[DesignWorkflowExercise] = [
    e for e in sorted(BANK.exercises.values(), key=lambda e: e.id) if isinstance(e, DesignWorkflowExercise)
]
TWELVE, ONE, SANKEY = DESIGNS[0], DESIGNS[1], DESIGNS[2]
LEGIBLE = 9.0  # px: the smallest line height of a label that still reads on a phone
VISITOR = "graphs"  # the demo visitor whose drafts the app opens


def one_step(exercise: DesignWorkflowExercise) -> list[dict[str, Any]]:
    return [exercise.reference.steps[0].model_dump(mode="json")]


def twelve_steps(exercise: DesignWorkflowExercise) -> list[dict[str, Any]]:
    """The reference, with samples and audits after it up to twelve steps, long names included."""
    steps = [s.model_dump(mode="json") for s in exercise.reference.steps]
    last, tool = steps[-1]["id"], steps[-1]["tool"]
    for n in range(len(steps), 12):
        steps.append(
            {
                "id": f"audit{n}",
                "name": f"Quality sample of the week's decisions, round {n}",
                "tool": tool,
                "inputs": [last],
                "share": 0.05,
            }
        )
        last = f"audit{n}"
    assert len(steps) == 12
    return steps


@pytest.fixture(scope="module")
def design_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("design")
    db_url = f"sqlite:///{folder / 'baton.db'}"
    engine = make_engine(db_url)
    upgrade(engine)
    with session_scope(engine) as s:  # the name pages/common.py gives a demo visitor
        user = get_or_create_user(s, f"demo-visitor-{VISITOR}", f"Demo visitor {VISITOR}", None)
        assert user.id is not None
        for exercise, steps in ((ONE, one_step(ONE)), (TWELVE, twelve_steps(TWELVE))):
            save_draft(s, user.id, exercise, {"kind": "design_workflow", "steps": steps, "rationale": ""})
        for width in (1400, 390):  # a visitor per width, each with the reference to submit
            other = get_or_create_user(s, f"demo-visitor-{VISITOR}{width}", f"Demo visitor {VISITOR}{width}", None)
            assert other.id is not None
            save_draft(s, other.id, SANKEY, SANKEY.reference.model_dump(mode="json"))
    engine.dispose()
    proc, url, log = serve_app(folder, {"DATABASE_URL": db_url, "BATON_DEMO": "1"})
    yield url
    stop(proc, log)


LAYOUT = """(el) => {
    const frame = el.getBoundingClientRect();
    const boxes = [...el.querySelectorAll('svg text')]
        .filter((t) => t.textContent.trim() && getComputedStyle(t).visibility !== 'hidden')
        .map((t) => { const r = t.getBoundingClientRect();
                      return {text: t.textContent.trim(), l: r.left, r: r.right, t: r.top, b: r.bottom}; })
        .filter((b) => b.r - b.l > 0 && b.b - b.t > 0);
    const overlaps = [];
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i], b = boxes[j];
        const w = Math.min(a.r, b.r) - Math.max(a.l, b.l), h = Math.min(a.b, b.b) - Math.max(a.t, b.t);
        if (w > 1 && h > 1) overlaps.push(a.text + ' / ' + b.text);
    }
    const right = Math.min(frame.right, window.innerWidth);
    const cut = boxes
        .filter((b) => b.l < frame.left - 1 || b.r > right + 1 || b.t < frame.top - 1 || b.b > frame.bottom + 1)
        .map((b) => b.text);
    const smallest = Math.min(...boxes.map((b) => b.b - b.t));
    return {count: boxes.length, overlaps, cut, smallest, texts: boxes.map((b) => b.text)};
}"""


def text_layout(chart: Locator) -> dict[str, Any]:
    chart.scroll_into_view_if_needed()
    result: dict[str, Any] = chart.evaluate(LAYOUT)
    return result


def open_design(page: Page, url: str, exercise: DesignWorkflowExercise, width: int, visitor: str = VISITOR) -> None:
    page.set_viewport_size({"width": width, "height": 1000})
    page.goto(f"{url}/?exercise={exercise.id}&demo_user={visitor}")
    expect(page.get_by_role("heading", name=exercise.title)).to_be_visible(timeout=120_000)
    settle(page)


@pytest.mark.parametrize("width", [1400, 390])
@pytest.mark.parametrize(("exercise", "steps"), [(ONE, 1), (TWELVE, 12)], ids=["1-step", "12-step"])
def test_the_workflow_graph_keeps_its_labels_apart_and_whole(
    page: Page, design_url: str, shots, exercise: DesignWorkflowExercise, steps: int, width: int
) -> None:
    open_design(page, design_url, exercise, width)
    chart = page.get_by_test_id("stGraphVizChart")
    expect(chart).to_be_visible(timeout=30_000)
    expect(chart.locator("svg g.node")).to_have_count(steps + len(exercise.sources))
    layout = text_layout(chart)
    chart.screenshot(path=shots / f"design-graph-{steps}-steps-{width}.png")
    assert layout["count"] >= steps
    assert layout["overlaps"] == []
    assert layout["cut"] == []
    assert layout["smallest"] >= LEGIBLE, f"the graph is scaled down past legibility: {layout['smallest']:.2f} px"
    assert overflow(page) == []


@pytest.mark.parametrize("width", [1400, 390])
def test_the_error_sankey_keeps_its_labels_apart_and_whole(page: Page, design_url: str, shots, width: int) -> None:
    open_design(page, design_url, SANKEY, width, visitor=f"{VISITOR}{width}")
    page.get_by_role("button", name="Submit for grading").click()
    chart = page.get_by_test_id("stPlotlyChart")
    expect(chart).to_be_visible(timeout=60_000)
    expect(chart.locator("g.sankey-node").first).to_be_attached(timeout=30_000)
    page.wait_for_timeout(1000)  # plotly settles its node positions
    layout = text_layout(chart)
    chart.screenshot(path=shots / f"design-sankey-{width}.png")
    assert any(t.startswith("Made at") for t in layout["texts"])
    assert layout["overlaps"] == []
    assert layout["cut"] == []
    assert overflow(page) == []


@pytest.mark.parametrize("width", [1400, 390])
def test_the_step_builder_adds_wires_and_moves_steps_within_the_screen(
    page: Page, design_url: str, shots, width: int
) -> None:
    exercise = ONE
    open_design(page, design_url, exercise, width, visitor=f"builder{width}")
    catalogue = page.locator("[class*='st-key-design-'][class*='-catalogue']")
    expect(catalogue).to_contain_text("Tool catalogue")
    add = page.get_by_role("button", name="Add a step")
    add.click()
    settle(page)
    first_id = page.get_by_role("textbox", name="Step id").first
    first_id.fill("first_pass")
    first_id.press("Enter")
    settle(page)
    add.click()
    settle(page)
    cards = page.locator("[class*='st-key-design-'][class*='-card']")  # the key's ':' become '-'
    expect(cards).to_have_count(2)
    # the second step reads from the first as soon as it is added, by the id just typed
    expect(cards.nth(1)).to_contain_text("(first_pass)")
    # a tool picked shows its figures on the card while designing
    tool = cards.nth(0).get_by_role("combobox", name="Tool")
    tool.click()
    tool.press("ArrowDown")
    tool.press("Enter")
    settle(page)
    expect(cards.nth(0)).to_contain_text("per item")
    expect(cards.nth(0)).to_contain_text("may receive")
    assert overflow(page) == []
    page.screenshot(path=shots / f"design-builder-{width}.png", full_page=True)
    # the catalogue beside the cards on a wide screen, above them on a phone
    shelf, card = catalogue.bounding_box(), cards.nth(0).bounding_box()
    assert shelf is not None
    assert card is not None
    if width >= 1400:
        assert shelf["x"] + shelf["width"] <= card["x"]
        assert shelf["y"] < card["y"] + card["height"]
    else:
        assert shelf["y"] + shelf["height"] <= card["y"]
    # each card's buttons say which step they act on, as a screen reader reads them
    for name in ("Move step 2 up", "Move step 2 down", "Remove step 2: step2"):
        expect(cards.nth(1).get_by_role("button", name=name, exact=True)).to_have_count(1)
    expect(cards.nth(0).get_by_role("button", name="Remove step 1: first_pass", exact=True)).to_have_count(1)
    cards.nth(1).get_by_role("button", name="Move step 2 up", exact=True).click()
    settle(page)
    expect(cards.nth(0).get_by_role("textbox", name="Step id")).to_have_value("step2")
    expect(cards.nth(1).get_by_role("textbox", name="Step id")).to_have_value("first_pass")
    # the draft is kept over a reload
    page.reload()
    expect(page.get_by_role("heading", name=exercise.title)).to_be_visible(timeout=60_000)
    settle(page)
    expect(cards.nth(0).get_by_role("textbox", name="Step id")).to_have_value("step2")
    assert overflow(page) == []
