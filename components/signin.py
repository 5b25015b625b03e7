"""Who does the dashboard think is at the keyboard? The sign-in page and the sidebar's identity line.

A thin component: the identity itself is resolved in `radar.cases.identity` (through `app_state.actor`);
this draws what it found, with every name escaped (a proxy header or an identity claim is client text).
"""

from __future__ import annotations

import streamlit as st

from components.text import md
from radar.cases.actor import BULK, LOCAL, OIDC, PROXY, Actor

#: Where the README explains sign-in, for sentences that tell a deployer what to set up.
DEPLOY_DOC = "README, “Deploying behind authentication”"


def identity_line(actor: Actor, *, exposed: bool, address: str | None) -> tuple[str, bool]:
    """What does the sidebar say about who is signed in, and is it a warning? `exposed`: local mode off loopback."""
    name = md(actor.name)
    if actor.via == LOCAL and exposed:
        where = md(address) if address else "every network interface"
        return (
            f"No sign-in is configured and the server listens on {where}: anyone who reaches it would act as {name}, "
            f"so everyone is a viewer. Bind to 127.0.0.1 (RADAR_BIND_ADDRESS) or set up sign-in ({DEPLOY_DOC}).",
            True,
        )
    if actor.via == LOCAL:
        text = f"local mode: only this machine can open the dashboard, as {name}"
    elif actor.via == OIDC:
        text = f"Signed in as {name}"
    elif actor.via == PROXY:
        text = f"Signed in through the sign-in proxy as {name}"
    else:
        text = f"Acting as {name}"
    text += f" · role: {actor.role}"
    if actor.read_only:
        text += " (read only: a lead can give you a role in RADAR_ROLES)"
    elif not actor.may(BULK):
        text += " (single items; bulk actions and the allowlist are for leads)"
    return text, False


def render_identity(actor: Actor, *, exposed: bool, address: str | None) -> None:
    """Draw the identity line at the foot of the sidebar, with a sign-out button under OpenID Connect."""
    text, warn = identity_line(actor, exposed=exposed, address=address)
    with st.sidebar:
        st.divider()
        if warn:
            st.warning(text, icon=":material/lock_open:")
        else:
            st.caption(text)
        if actor.via == OIDC and st.button("Sign out", key="sign_out", icon=":material/logout:"):
            st.logout()


def render_sign_in(message: str, *, can_sign_in: bool) -> None:
    """The only page a browser that has not signed in sees: why, and a sign-in button when sign-in is ours to start."""
    st.title("Distillation Radar")
    st.info(md(message), icon=":material/lock:")
    if can_sign_in and st.button("Sign in", type="primary", key="sign_in", icon=":material/login:"):
        try:
            st.login()
        except Exception as exc:  # noqa: BLE001 - a missing package or a broken [auth] section, told as a sentence
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
            st.error(
                f"Sign-in could not start ({md(first)}). Check the [auth] section of .streamlit/secrets.toml and that the "
                f"Authlib package is installed ({DEPLOY_DOC}).",
                icon=":material/error:",
            )
