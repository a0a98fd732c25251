"""Baton: the entry point. Registers the pages, resolves who is using the app, and builds the
menu for their role."""

from pathlib import Path

import streamlit as st

from pages.common import (
    auth_configured,
    current_user,
    database_guard,
    demo_switch,
    require_safe_binding,
    sign_in_page,
)
from store.models import Role, User
from ui import state
from ui.draft_commit import commit_drafts_while_typing
from ui.text import escape_markdown

# A local file, served by the app itself: a Material icon as the page icon is fetched from a font host.
ICON = Path(__file__).parent / "ui" / "assets" / "baton-icon.png"
st.set_page_config(page_title="Baton", page_icon=str(ICON), layout="wide")
state.init_state()
require_safe_binding()
demo_switch()
user: User | None = None
with database_guard():
    user = current_user()
if user is None:
    # Nobody signed in (or the database did not answer): the sign-in page is the only page
    # registered, so no other page is listed in the sidebar or runs, whatever the URL asks for.
    st.navigation([st.Page(sign_in_page, title="Sign in", url_path="sign-in")], position="hidden").run()
    st.stop()
st.session_state[state.USER_ID] = user.id
st.session_state[state.USER] = user

practice = st.Page(
    "pages/practice.py",
    title="Practice",
    icon=":material/exercise:",
    default=True,
    help="Pick a realistic scenario, do the task, and get criterion-level feedback at once.",
)
progress = st.Page(
    "pages/progress.py",
    title="My progress",
    icon=":material/insights:",
    help="Your attempts, scores by task kind, and the feedback on each grade.",
)
cohort = st.Page(
    "pages/cohort.py",
    title="Cohort",
    icon=":material/groups:",
    help="Instructors: your cohorts' learners, their scores, their work, and grade overrides.",
)
assessment = st.Page(
    "pages/assessment.py",
    title="Mock assessment",
    icon=":material/timer:",
    help="Four tasks against the clock, as in a hiring assessment; feedback and a report at the end.",
)
assessments_admin = st.Page(
    "pages/assessments_admin.py",
    title="Assessments",
    icon=":material/assignment:",
    help="Instructors: assign timed assessments to a cohort and follow who has sat them.",
)
reliability = st.Page(
    "pages/reliability.py",
    title="Grader reliability",
    icon=":material/verified:",
    help="Instructors: how often overrides agree with the automatic grade, and which graders need attention.",
)
pages = [practice, assessment, progress]
if user.role in (Role.instructor, Role.admin):
    pages += [cohort, assessments_admin, reliability]

with st.sidebar:
    st.caption(f"Signed in as **{escape_markdown(user.name)}** · {user.role}")
    if auth_configured() and st.user.get("is_logged_in"):  # st.user reads the secrets file each time
        st.button("Sign out", on_click=st.logout, key="sign_out")
    commit_drafts_while_typing()

if not st.get_option("client.showSidebarNavigation"):  # off in config.toml only to hide the raw file list
    st.set_option("client.showSidebarNavigation", True)
with database_guard():  # one way to meet a database error on every page
    st.navigation(pages, position="sidebar").run()
