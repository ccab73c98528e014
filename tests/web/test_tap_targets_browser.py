"""Issue 2 on the narrowest phone (360x740): no sideways scrolling, every tap target 44 px tall.

The pages are those of the demo city (a tenth of it), seen by an inspector, a citizen and
the office. Each test collects the problems of all its pages and reports them together.
"""

import pytest

from app.core.clock import local_today
from app.core.scope import establishment_scope
from app.demo.city import DEMO_USERS, seed_demo
from app.extensions import db
from app.indicators.periods import quarter_of
from app.inspections.ledger import LIVE_STATES
from app.models import (
    Complaint,
    Coordinator,
    Establishment,
    Inspection,
    LedgerEntry,
    Registration,
    User,
)
from tests.conftest import screenshot

pytestmark = pytest.mark.browser

SMALL_PHONE = {"width": 360, "height": 740}
MM_PER_PX = 25.4 / 96
PASSWORDS = {username: password for username, _n, _r, password, _c in DEMO_USERS}

# Every element a finger can aim at must be 44 px tall where it aims, and a tap at the top, the
# middle and the bottom of that box must land on it: nothing covers it, and the padding that
# grows a link in running text is not taken by the line above or below.
TOO_SMALL = """() => {
  const TAP = 44;
  const CHOICES = ['checkbox', 'radio'];
  const TARGETS = 'a[href], button, input:not([type=hidden]), select, textarea, label[for], summary';
  // Not shown: display none, visibility hidden, or inside a closed <details>. Transparent is
  // shown: a see-through input over its label still takes the tap.
  const shown = (el) => el.checkVisibility({ visibilityProperty: true });
  // A link that wraps is hit line by line: its shortest line counts.
  const height = (el) => Math.min(...Array.from(el.getClientRects(), (r) => r.height));
  const tall = (el) => shown(el) && height(el) >= TAP - 0.5;
  const isChoice = (el) => el.matches('input') && CHOICES.includes(el.type);
  // Where a finger aims: a checkbox or radio through a label of it. A label[for] of a field that
  // is itself tall only captions it, and one naming a group (no labelable control) does nothing.
  const aimedAt = (el) => {
    if (isChoice(el)) return tall(el) ? el : Array.from(el.labels).find(tall) || el;
    if (el.matches('label[for]') && (!el.control || (!isChoice(el.control) && tall(el.control)))) {
      return null;
    }
    return el;
  };
  // What takes a tap at the top, middle or bottom of el's box instead of el, if anything.
  const takenBy = (el) => {
    el.scrollIntoView({ block: 'center', inline: 'center' });
    const box = el.getClientRects()[0];
    const x = box.left + box.width / 2;
    for (const y of [box.top + 2, box.top + box.height / 2, box.bottom - 2]) {
      const hit = document.elementFromPoint(x, y);
      if (!hit || !el.contains(hit)) return hit ? `<${hit.tagName.toLowerCase()}>` : 'nothing';
    }
    return null;
  };
  const describe = (el) => {
    const text = (el.innerText || el.value || el.getAttribute('aria-label') || el.name || '')
      .trim().replace(/\\s+/g, ' ').slice(0, 40);
    const type = el.type && el.matches('input, button') ? `[type=${el.type}]` : '';
    const box = el.getBoundingClientRect();
    return `<${el.tagName.toLowerCase()}${type}> "${text}" ${Math.round(box.width)}x${Math.round(height(el))}`;
  };
  const problems = [];
  for (const el of document.querySelectorAll(TARGETS)) {
    const target = shown(el) ? aimedAt(el) : null;
    if (!target) continue;
    if (!tall(target)) {
      problems.push(`${describe(target)} is too small`);
    } else if (!target.matches('.skip')) {  // off the page until focused: nothing to tap
      const other = takenBy(target);
      if (other) problems.push(`${describe(target)} is covered by ${other}`);
    }
  }
  window.scrollTo(0, 0);
  return [...new Set(problems)];
}"""

WIDTH = "() => [document.documentElement.scrollWidth, window.innerWidth]"


class Audit:
    """Visits pages on one small phone page and keeps what is wrong with each."""

    def __init__(self, page, name):
        self.page, self.name, self.problems = page, name, []

    def visit(self, path, shot):
        self.page.goto(path)
        self.check(shot)

    def check(self, shot):
        page = self.page
        page.wait_for_load_state("load")
        where = page.url.split("//", 1)[-1].split("/", 1)[-1]
        screenshot(page, f"taps-{self.name}-{shot}")
        scroll_width, inner = page.evaluate(WIDTH)
        if scroll_width > min(inner, SMALL_PHONE["width"]):
            self.problems.append(f"/{where}: {scroll_width} px wide, scrolls sideways")
        self.problems += [f"/{where}: {problem}" for problem in page.evaluate(TOO_SMALL)]

    def assert_clean(self):
        if self.problems:
            pytest.fail("\n".join(["too small or too wide at 360 px:", *self.problems]), False)


def printed_mm(page, selector):
    """The size on paper, in whole millimetres, of the first element matching selector."""
    page.emulate_media(media="print")
    box = page.locator(selector).first.bounding_box()
    page.emulate_media(media="screen")
    return round(box["width"] * MM_PER_PX), round(box["height"] * MM_PER_PX)


@pytest.fixture
def demo(app):
    """A tenth of the demo city: inspections, ledger, complaints, registrations, coordinators."""
    seed_demo(scale=0.1)
    db.session.commit()


@pytest.fixture
def small_phone(browser_factory, live_server):
    """A 360x740 touch phone in Chinese, the narrowest the inspectors carry."""
    browser = browser_factory()
    context = browser.new_context(
        viewport=SMALL_PHONE,
        has_touch=True,
        is_mobile=True,
        locale="zh-CN",
        base_url=live_server.url,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def sign_in(page, username):
    """Sign in through the login form as a demo user."""
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORDS[username])
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def user(username):
    return db.session.scalar(db.select(User).filter_by(username=username))


def first(model, *where):
    """The demo city's first row of model that matches."""
    query = db.select(model).where(*where).order_by(model.id).limit(1)
    found = db.session.scalar(query)
    assert found is not None, f"the demo city has no {model.__name__} for {where}"
    return found


def in_scope(inspector):
    """The ids of the establishments the inspector covers."""
    return db.select(Establishment.id).where(establishment_scope(inspector))


def inspector_shop(inspector):
    """An establishment of the inspector's with a phone number and live ledger entries."""
    live = db.select(LedgerEntry.establishment_id).where(LedgerEntry.state.in_(LIVE_STATES))
    return first(
        Establishment,
        Establishment.id.in_(in_scope(inspector)),
        Establishment.id.in_(live),
        Establishment.active,
        Establishment.contact_phone != "",
    )


def answer_everything(page):
    """Every item passes, every field gets a plausible value, both people are named."""
    for label in page.locator("label.seg-pass, .seg-2 label:first-of-type").all():
        label.click()
    for number in page.locator("#sec-fields input[type=number]").all():
        number.fill("1")
    for select in page.locator("#sec-fields select").all():
        select.select_option(index=1)
    page.fill("#second_inspector", "李四")
    page.fill("#operator_rep", "王五")


def test_inspector_pages(demo, small_phone):
    inspector = user("inspector")
    shop = inspector_shop(inspector)
    done = first(
        Inspection,
        Inspection.inspector_id == inspector.id,
        Inspection.status == "submitted",
        Inspection.outcome != "compliant",
    )
    entry = first(LedgerEntry, LedgerEntry.establishment_id == shop.id)
    complaint = first(Complaint, Complaint.establishment_id.in_(in_scope(inspector)))
    sign_in(small_phone, "inspector")
    audit = Audit(small_phone, "inspector")
    audit.check("home")
    audit.visit("/field/establishments?q=演示", "establishments")
    audit.visit(f"/field/establishments/{shop.id}", "establishment")
    small_phone.click("button:has-text('开始检查')")
    small_phone.wait_for_selector("#checklist")
    small_phone.click("label.seg-fail >> nth=0")  # shows the handling fields and photo warning
    audit.check("checklist")
    small_phone.click("button[value=review]")
    small_phone.wait_for_selector(".problems")
    audit.check("review-unfilled")
    small_phone.click(".submit-bar a")
    answer_everything(small_phone)
    small_phone.click("button[value=review]")
    small_phone.wait_for_selector(".verify-entries")
    audit.check("review-ready")
    audit.visit(f"/field/inspections/{done.id}/sheet", "sheet")
    audit.visit("/field/ledger", "ledger")
    audit.visit(f"/field/ledger/{entry.id}", "ledger-entry")
    audit.visit("/field/scan", "scan")
    audit.visit("/office/complaints", "complaints")
    audit.visit(f"/office/complaints/{complaint.id}", "complaint")
    audit.assert_clean()


def test_citizen_pages(demo, small_phone):
    est = first(Establishment, Establishment.active, Establishment.category == "restaurant_small")
    audit = Audit(small_phone, "citizen")
    audit.visit(f"/q/{est.qr_token}", "status")
    audit.visit(f"/q/{est.qr_token}/complaint", "complaint")
    small_phone.click("button[type=submit]")
    small_phone.wait_for_selector(".has-error")
    audit.check("complaint-refused")
    audit.visit(f"/q/{est.qr_token}/complaint/sent", "complaint-sent")
    audit.visit("/lookup", "lookup")
    audit.visit("/login", "login")
    audit.assert_clean()


def test_office_pages(demo, small_phone):
    est = first(Establishment, Establishment.active, Establishment.contact_phone != "")
    insp = first(Inspection, Inspection.status == "submitted", Inspection.outcome == "noncompliant")
    complaint = first(Complaint, Complaint.phone != "")
    reg = first(Registration, Registration.state == "issued")
    entry = first(LedgerEntry)
    sign_in(small_phone, "admin")
    audit = Audit(small_phone, "office")
    audit.check("dashboard")
    small_phone.click(".ind-card summary")
    audit.check("dashboard-rule-open")
    audit.visit("/office/indicators/visit_frequency", "indicator")
    audit.visit("/office/reports", "reports")
    audit.visit(f"/office/reports/{quarter_of(local_today()).code}", "report")
    audit.visit("/office/api-tokens", "tokens")
    small_phone.fill("#t-name", "市局数据大屏")
    small_phone.click("main button[type=submit]")
    small_phone.wait_for_selector(".token-once")
    audit.check("token-made")
    audit.visit("/office/establishments", "establishments")
    audit.visit(f"/office/establishments/{est.id}", "establishment")
    audit.visit(f"/office/establishments/{est.id}/edit", "establishment-edit")
    audit.visit("/office/establishments/new", "establishment-new")
    audit.visit("/office/establishments/999999", "not-found")
    audit.visit(f"/office/establishments/{est.id}/placard", "placard")
    assert printed_mm(small_phone, ".single svg") == (105, 148), "an A6 card on paper"
    audit.visit(f"/office/placards?jurisdiction_id={est.jurisdiction_id}", "placards")
    assert printed_mm(small_phone, ".sheet") == (210, 297), "an A4 sheet on paper"
    audit.visit("/office/inspections", "inspections")
    audit.visit(f"/field/inspections/{insp.id}/sheet", "sheet")
    audit.visit(f"/field/inspections/{insp.id}/amend", "amend-checklist")
    small_phone.fill("#reason", "更正整改期限")
    small_phone.click("button:has-text('保存修改')")
    small_phone.wait_for_selector("ol.history")
    audit.check("sheet-amended")
    audit.visit(f"/office/inspections/{insp.id}", "inspection-superseded")
    audit.visit("/office/complaints", "complaints")
    audit.visit(f"/office/complaints/{complaint.id}", "complaint")
    audit.visit("/office/users", "users")
    audit.visit(f"/office/users/{user('inspector').id}", "user")
    audit.visit("/office/users/new", "user-new")
    audit.visit("/office/establishments/import", "import")
    audit.visit("/registers/registrations", "registrations")
    audit.visit(f"/registers/registrations/{reg.id}", "registration")
    audit.visit(f"/registers/registrations/{reg.id}/card", "card")
    audit.visit(f"/registers/registrations/{reg.id}/amend", "amend")
    audit.visit(f"/registers/establishments/{reg.establishment_id}/registration/new", "apply")
    audit.visit("/registers/ledger", "ledger")
    audit.visit(f"/registers/ledger/{entry.id}", "ledger-entry")
    audit.visit("/registers/coordinators", "coordinators")
    audit.visit("/registers/coordinators/new", "coordinator-new")
    audit.visit(f"/registers/coordinators/{first(Coordinator).id}/edit", "coordinator-edit")
    audit.assert_clean()
