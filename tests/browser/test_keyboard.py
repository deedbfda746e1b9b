"""A keyboard-only journey, in Chromium against a live server.

A citizen with a verified email address starts on the home page and, pressing only Tab,
Shift+Tab, Enter and Space (and typing into a field once it has focus), skips to the content,
signs in, finds a commitment of a plan in co-creation, comments on it and supports it; the
comment and the vote also work with JavaScript disabled. At every step the focused element must
show a focus indicator (outline or box shadow) with its ring inside the viewport; reaching an
element by tabbing proves there is no keyboard trap on the way.

Around the journey: an error summary takes focus and leads to its field, Space opens a reply,
Shift+Tab retraces Tab, the language switcher and the user menu work from the keyboard, a
commitment moved with the keyboard keeps the focus, and on each page of the journeys (visitor,
citizen, officer; desktop and phone) Tab reaches every control once, in reading order, and
comes back round.
"""

import datetime
import re
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from action_plans.models import ActionPlan
from ogp_platform.members.models import MemberRole
from participation.models import Comment, Vote
from participation.selectors import content_type_of
from participation.services.comments import comment_post
from participation.services.consultations import consultation_create, consultation_open
from tests.browser.conftest import DESKTOP, PHONE
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.members.factories import MemberFactory
from tests.plans.factories import ActionPlanFactory, CommitmentFactory, MilestoneFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

COMMENT = "Por favor, publiquen también las agendas de los altos cargos como datos abiertos."

# What the focused element is, as a person would tell it (a rough accessible name: aria-label,
# aria-labelledby, its labels, else its text without the aria-hidden parts), and whether its
# focus is visible: an outline or a box shadow, inside the viewport, not clipped to nothing.
DESCRIBE_FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {tag: "body", name: "", body: true};
  const text = (node) => {
    if (node.nodeType === Node.TEXT_NODE) return node.textContent;
    if (node.nodeType !== Node.ELEMENT_NODE) return "";
    if (node.getAttribute("aria-hidden") === "true") return "";
    return Array.from(node.childNodes).map(text).join(" ");
  };
  let name = el.getAttribute("aria-label") || "";
  if (!name && el.getAttribute("aria-labelledby")) {
    name = el.getAttribute("aria-labelledby").split(/\\s+/)
      .map((id) => { const ref = document.getElementById(id); return ref ? text(ref) : ""; })
      .join(" ");
  }
  if (!name && el.labels && el.labels.length) name = Array.from(el.labels).map(text).join(" ");
  if (!name && !["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName)) name = text(el);
  if (!name) name = el.getAttribute("title") || "";
  const style = getComputedStyle(el);
  const rect = el.getBoundingClientRect();
  const transparent = (colour) => colour === "transparent" || /rgba\\(.*,\\s*0\\)$/.test(colour);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0
    && !transparent(style.outlineColor);
  const shadow = style.boxShadow !== "none";
  // On screen with its focus ring (outline or shadow, around the element): all of it, or, for
  // an element bigger than the window, at least half the window's width or height.
  const ring = Math.max(
    0,
    outline ? parseFloat(style.outlineWidth) + parseFloat(style.outlineOffset) : 0,
    shadow ? Math.max(0, ...(style.boxShadow.match(/-?[0-9.]+px/g) || []).map(parseFloat)) : 0
  );
  const shown = (start, end, room) => end - start + 2 * ring > room
    ? Math.min(end, room) - Math.max(start, 0) >= room / 2
    : start - ring >= -1 && end + ring <= room + 1;
  // Chromium scrolls a text box only far enough to show the line with the caret: its top,
  // ringed, and a few lines under it will do.
  const caretLine = el.tagName === "TEXTAREA" && rect.top - ring >= -1
    && Math.min(rect.bottom, innerHeight) - rect.top >= 40;
  const inside = shown(rect.left, rect.right, innerWidth)
    && (shown(rect.top, rect.bottom, innerHeight) || caretLine);
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    name: name.replace(/\\s+/g, " ").trim(),
    indicator: outline || shadow,
    outline: `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`,
    shadow: style.boxShadow,
    inViewport: inside,
    size: [Math.round(rect.width), Math.round(rect.height)],
    rect: [rect.left, rect.top, rect.right, rect.bottom].map(Math.round),
    body: false,
  };
}"""


def focused(page) -> dict:
    return page.evaluate(DESCRIBE_FOCUS)


def label(element: dict) -> str:
    """How a failure names an element: <tag#id> 'accessible name'."""
    id_ = f"#{element['id']}" if element.get("id") else ""
    return f"<{element['tag']}{id_}> {element['name']!r}"


def assert_focus_visible(page) -> dict:
    """The focused element shows an outline or a box shadow, and is on screen."""
    element = focused(page)
    assert not element["body"], "focus fell back to the page itself"
    assert element["indicator"], (
        f"no visible focus on {label(element)}: "
        f"outline {element['outline']}, box-shadow {element['shadow']}"
    )
    assert element["inViewport"], (
        f"{label(element)} has focus but is off screen: {element['rect']} in {page.viewport_size}"
    )
    assert min(element["size"]) >= 8, f"{label(element)} is too small to see: {element['size']}"
    return element


def is_focused(locator) -> bool:
    return locator.evaluate_all("(elements) => elements.includes(document.activeElement)")


def tab_to(page, predicate, limit=80, *, key="Tab"):
    """Press Tab (or `key`) until the focused element matches `predicate`, a Playwright locator
    or a function of the focused element's description; every element passed on the way must
    show its focus. Fails with the list of elements visited, so a keyboard trap (or a control
    out of reach) shows as the sequence that never got there."""
    matches = predicate if callable(predicate) else (lambda _element: is_focused(predicate))
    visited = []
    for _ in range(limit):
        page.keyboard.press(key)
        if focused(page)["body"]:
            # Past the last element focus goes to the browser's own controls, then around.
            visited.append("(out of the page)")
            continue
        element = assert_focus_visible(page)
        visited.append(label(element))
        if matches(element):
            return element
    pytest.fail(
        f"{key} pressed {limit} times without reaching {predicate}; visited:\n" + "\n".join(visited)
    )


def step(page, key="Tab") -> dict:
    """Press Tab (or Shift+Tab) once; the element it reaches must show its focus."""
    page.keyboard.press(key)
    return assert_focus_visible(page)


def press(page, key):
    """Press a key that follows a link or submits a form, and wait for the new page."""
    with page.expect_navigation():
        page.keyboard.press(key)


def type_into(page, locator, text):
    """Tab to a field (proving it is reachable) and type, as a keyboard user does."""
    tab_to(page, locator)
    page.keyboard.type(text)


# Every tab stop of the page, in document order, numbered in a data attribute: what a person
# tabbing through the page must reach. A group of radio buttons is one stop (the checked one,
# else the first); the others are reached with the arrow keys.
MARK_TAB_STOPS = """() => {
  const selector = "a[href], area[href], button, input:not([type=hidden]), select, textarea, "
    + "summary, iframe, [tabindex], [contenteditable]";
  const candidates = Array.from(document.querySelectorAll(selector)).filter(
    (el) => el.tabIndex >= 0 && !el.disabled && !el.closest("[inert]")
      && el.checkVisibility({visibilityProperty: true})
  );
  const stops = candidates.filter((el) => {
    if (el.type !== "radio" || !el.name) return true;
    const group = candidates.filter(
      (other) => other.type === "radio" && other.name === el.name && other.form === el.form
    );
    return el === (group.find((other) => other.checked) || group[0]);
  });
  stops.forEach((el, index) => { el.dataset.tabStop = index; });
  return stops.length;
}"""


def tab_through(page, limit=250) -> list[int]:
    """Tab from wherever focus is until it comes back round: every tab stop of the page must be
    reached once, with its focus visible, in reading order. Coming back round to the first stop
    after all the others proves there is no keyboard trap."""
    count = page.evaluate(MARK_TAB_STOPS)
    order = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = page.evaluate("() => document.activeElement.dataset.tabStop ?? null")
        if stop is None:
            # Past the last stop, focus may go to the browser's own controls for one press.
            element = focused(page)
            assert element["body"], f"Tab reached {label(element)}, which is no tab stop"
            continue
        assert_focus_visible(page)
        if order and int(stop) == order[-1]:
            continue  # the next part of a date or time field
        if int(stop) in order:
            assert int(stop) == order[0], f"focus came back to {stop} out of turn: {order}"
            break
        order.append(int(stop))
    else:
        pytest.fail(f"{limit} presses of Tab without coming round: {order}")
    reading = order[order.index(0) :] + order[: order.index(0)] if 0 in order else order
    assert reading == list(range(count)), (
        f"{count} tab stops; from the top of the page, Tab visited {reading}"
    )
    return reading


# --- The world ---------------------------------------------------------------------------------


@pytest.fixture
def world():
    """Spain's plan in co-creation with an open consultation and two commitments, one of which
    already has a comment; a citizen with a verified email address."""
    spain = MemberFactory(country="ES", country_alpha3="ESP", name="Spain", slug="spain")
    officer = UserFactory(display_name="Marta Ruiz")
    MemberRole.objects.create(member=spain, user=officer, role=MemberRole.Role.POINT_OF_CONTACT)
    plan = ActionPlanFactory(
        member=spain,
        status=ActionPlan.Status.COCREATION,
        published=True,
        created_by=officer,
        title="V Plan de Gobierno Abierto de España",
        submission_deadline=timezone.localdate() + datetime.timedelta(days=60),
    )
    agendas = CommitmentFactory(
        plan=plan, title="Agendas públicas de los altos cargos", short_title="Agendas"
    )
    footprint = CommitmentFactory(
        plan=plan, title="Huella normativa de las leyes", short_title="Huella normativa"
    )
    for commitment in (agendas, footprint):
        MilestoneFactory(commitment=commitment)
    now = timezone.now()
    consultation = consultation_create(
        actor=officer,
        space=plan,
        title="Consulta pública del V Plan",
        rules="Participa cualquier persona con un correo verificado.",
        questions="¿Qué falta en el plan?",
        opens_at=now,
        closes_at=now + datetime.timedelta(weeks=3),
    )
    consultation_open(actor=officer, consultation=consultation)
    earlier = comment_post(
        actor=UserFactory(display_name="Jorge Pérez"),
        target=agendas,
        body="Las agendas deberían incluir a los lobbies con los que se reúnen.",
    )
    citizen = UserFactory(display_name="Lucía Fernández")
    assert citizen.emailaddress_set.get().verified  # UserFactory verifies the address
    return SimpleNamespace(
        member=spain,
        plan=plan,
        agendas=agendas,
        footprint=footprint,
        earlier=earlier,
        officer=officer,
        citizen=citizen,
    )


def sign_in_by_keyboard(page, user):
    """On the sign-in page: type the email and the password, submit with Enter."""
    type_into(page, page.get_by_label(re.compile(r"^Email")), user.email)
    type_into(page, page.get_by_label(re.compile(r"^Password")), DEFAULT_PASSWORD)
    press(page, "Enter")
    assert page.get_by_role("link", name=f"Signed in as {user.display_name}").is_visible()


def comment_and_vote_by_keyboard(page, world):
    """On the commitment page, signed in: post a comment (Enter on the button), support the
    commitment (Space on the button), and find both saved, in the database and on the page."""
    type_into(page, page.get_by_label(re.compile(r"^Your comment")), COMMENT)
    tab_to(page, page.get_by_role("button", name="Post the comment"))
    press(page, "Enter")
    assert page.get_by_text("Your comment has been posted.").is_visible()

    support = page.get_by_role("button", name="Support", exact=True)
    assert support.get_attribute("aria-pressed") == "false"
    tab_to(page, support)
    press(page, "Space")
    assert page.get_by_text("You support this.", exact=True).is_visible()
    assert support.get_attribute("aria-pressed") == "true"

    mine = Comment.objects.get(author=world.citizen)
    assert mine.body == COMMENT
    assert (mine.target_type, mine.target_id) == (content_type_of(world.agendas), world.agendas.pk)
    assert page.locator(f"#comment-{mine.pk}").get_by_text(COMMENT).is_visible()
    vote = Vote.objects.get(user=world.citizen)
    assert (vote.target_type, vote.target_id) == (content_type_of(world.agendas), world.agendas.pk)
    assert vote.value == Vote.Value.SUPPORT
    assert page.locator(".vote-box__figure--support dd").inner_text() == "1"


# --- The journey -------------------------------------------------------------------------------


def test_a_citizen_signs_in_comments_and_votes_with_the_keyboard_alone(page, world, screenshot):
    """Skip link, sign in, find the commitment, comment, support: keys only, focus always
    visible and on screen."""
    page.goto("/")

    # 1. The skip link is the first stop, shows itself, and takes focus to the content.
    assert step(page)["name"] == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    first = step(page)
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)"), (
        f"after the skip link, Tab went to {label(first)}, outside the content"
    )

    # 2. Sign in.
    tab_to(page, page.get_by_role("link", name="Sign in", exact=True))
    press(page, "Enter")
    assert page.get_by_role("heading", name="Sign In").is_visible()
    sign_in_by_keyboard(page, world.citizen)
    assert page.url.endswith("/")

    # 3. Members, Spain, its plan, the commitment: links reached with Tab, followed with Enter.
    main_nav = page.get_by_role("navigation", name="Main")
    tab_to(page, main_nav.get_by_role("link", name="Members"))
    press(page, "Enter")
    tab_to(page, page.get_by_role("link", name="Spain", exact=True))
    press(page, "Enter")
    tab_to(page, page.get_by_role("link", name=world.plan.title))
    press(page, "Enter")
    tab_to(page, page.get_by_role("link", name=world.agendas.title, exact=True))
    press(page, "Enter")
    assert page.get_by_role("heading", level=1, name=world.agendas.title).is_visible()

    # 4–6. Comment, support, and both are saved.
    comment_and_vote_by_keyboard(page, world)
    screenshot(page, "keyboard-commitment-en-desktop")


def test_a_citizen_comments_and_votes_with_the_keyboard_without_javascript(new_context, world):
    """With JavaScript off the keyboard still signs in from the commitment (and comes back to
    it), comments and votes."""
    page = new_context(java_script_enabled=False).new_page()
    page.goto(world.agendas.get_absolute_url())
    tab_to(page, page.get_by_role("link", name="Sign in to take part"))
    press(page, "Enter")
    sign_in_by_keyboard(page, world.citizen)
    assert page.get_by_role("heading", level=1, name=world.agendas.title).is_visible()
    comment_and_vote_by_keyboard(page, world)


def test_a_form_error_and_a_reply_with_the_keyboard(page, world):
    """An empty comment sends focus to the error summary; its link leads to the field, where
    the comment is written and posted. Space opens the reply form under a comment."""
    page.goto("/accounts/login/")
    sign_in_by_keyboard(page, world.citizen)
    page.goto(world.agendas.get_absolute_url())
    tab_to(page, page.get_by_role("button", name="Post the comment"))
    press(page, "Enter")

    summary = page.get_by_role("alert")
    assert summary.get_by_text("There is a problem").is_visible()
    assert is_focused(summary), "the error summary should have focus after a failed post"
    error_link = summary.get_by_role("link", name=re.compile(r"^Your comment:"))
    tab_to(page, error_link, limit=1)
    page.keyboard.press("Enter")
    assert is_focused(page.get_by_label(re.compile(r"^Your comment")))
    assert_focus_visible(page)
    page.keyboard.type("Escribo el comentario que faltaba.")
    tab_to(page, page.get_by_role("button", name="Post the comment"))
    press(page, "Space")
    assert page.get_by_text("Your comment has been posted.").is_visible()
    assert Comment.objects.get(author=world.citizen).body == "Escribo el comentario que faltaba."

    earlier = page.locator(f"#comment-{world.earlier.pk} > article")
    tab_to(page, earlier.get_by_text("Reply to Jorge Pérez"))
    page.keyboard.press("Space")
    type_into(page, earlier.get_by_label(re.compile(r"^Your reply")), "Totalmente de acuerdo.")
    tab_to(page, earlier.get_by_role("button", name="Post the reply"))
    press(page, "Enter")
    assert page.get_by_text("Your reply has been posted.").is_visible()
    assert Comment.objects.get(parent=world.earlier).author == world.citizen


# --- Order, traps, every control ---------------------------------------------------------------


def test_shift_tab_goes_back_the_way_tab_came(page, world):
    """Shift+Tab visits the elements Tab visited, in reverse, focus visible at each."""
    page.goto(world.agendas.get_absolute_url())
    forward = [label(step(page)) for _ in range(15)]
    backward = [label(step(page, "Shift+Tab")) for _ in range(14)]
    assert backward == forward[-2::-1]


def pages_of(world, who):
    plan, agendas = world.plan, world.agendas
    pages = {
        "visitor": [
            "/",
            reverse("account_login"),
            reverse("account_signup"),
            reverse("members:directory"),
            world.member.get_absolute_url(),
            plan.get_absolute_url(),
            agendas.get_absolute_url(),
            reverse("commitments:explorer"),
        ],
        "citizen": [
            plan.get_absolute_url(),
            agendas.get_absolute_url(),
            reverse("profile"),
            reverse("participation:notifications_settings"),
        ],
        # Drafting forms: date fields, long text boxes, the commitments' reorder buttons.
        "officer": [
            plan.get_absolute_url(),
            reverse("action_plans:edit", args=[plan.identifier]),
            reverse("commitments:create", args=[plan.identifier]),
            reverse("commitments:milestone_create", args=[agendas.identifier]),
        ],
    }
    return pages[who]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("who", ["visitor", "citizen", "officer"])
def test_tab_reaches_every_control_once_in_order_with_visible_focus(page, world, who, viewport):
    """On each page of the journeys, Tab reaches every link, button and field once, in
    reading order, each showing its focus on screen, and comes back round: no trap, nothing out
    of reach."""
    page.set_viewport_size(viewport)
    if who != "visitor":
        page.goto(reverse("account_login"))
        sign_in_by_keyboard(page, getattr(world, who))
    for url in pages_of(world, who):
        page.goto(url)
        tab_through(page)


# --- Header tools, and a control that moves --------------------------------------------------


def test_the_language_switcher_works_from_the_keyboard(page, world):
    """A keyboard user switches to Latvian and back, and stays on the page they were on."""
    page.goto(world.agendas.get_absolute_url())
    tab_to(page, page.get_by_role("button", name="Latviešu"))
    press(page, "Enter")
    assert page.locator("html").get_attribute("lang") == "lv"
    assert page.url.endswith(world.agendas.get_absolute_url())
    tab_to(page, page.get_by_role("button", name="English"))
    press(page, "Space")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.url.endswith(world.agendas.get_absolute_url())


def test_the_user_menu_works_from_the_keyboard(page, world):
    """Signed in, the keyboard reaches the profile link in the header and signs out."""
    page.goto(reverse("account_login"))
    sign_in_by_keyboard(page, world.citizen)
    tab_to(page, page.get_by_role("link", name="Signed in as Lucía Fernández"))
    press(page, "Enter")
    assert page.url.endswith(reverse("profile"))
    tab_to(page, page.get_by_role("button", name="Sign out"))
    press(page, "Enter")
    assert page.get_by_role("link", name="Sign in", exact=True).first.is_visible()
    assert page.get_by_role("button", name="Sign out").count() == 0


def test_a_commitment_moved_with_the_keyboard_keeps_the_focus(page, world):
    """The officer moves a commitment down with Enter: the page updates in place (JavaScript)
    and focus stays, visibly, on the moved commitment's button."""
    page.goto(reverse("account_login"))
    sign_in_by_keyboard(page, world.officer)
    page.goto(world.plan.get_absolute_url())
    first, second = world.agendas.identifier, world.footprint.identifier
    tab_to(page, page.get_by_role("button", name=f"↓ Down {first}"))
    page.keyboard.press("Enter")
    moved_up = page.get_by_role("button", name=f"↑ Up {first}")
    moved_up.wait_for()
    assert is_focused(moved_up)
    assert_focus_visible(page)
    titles = page.locator(".commitment-card__title").all_inner_texts()
    assert titles == [world.footprint.title, world.agendas.title]
    assert second in page.locator(".commitment-card").first.inner_text()
