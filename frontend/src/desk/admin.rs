//! Administration (admin, `/desk/admin`): users (create, disable, enable),
//! programs (list, create), members of a program (add, remove), agreements
//! with partner organisations, and the organisation's device sessions
//! ("cut off this device", with a confirmation step).

use std::collections::HashMap;
use std::future::Future;
use std::rc::Rc;

use shared::Role;
use shared::office::{AgreementList, MemberList, OrgList, UserList};
use shared::wire::{CreateAgreement, CreateProgram, CreateUser, ProgramList, SessionList};
use uuid::Uuid;
use yew::prelude::*;

use super::common::{Load, error_text, input_setter, options, setter, short_id, status_of, use_loader};
use super::{DeskCtx, use_desk};
use crate::api::office;
use crate::i18n::{format, use_desk_texts, use_texts};
use crate::repo::AppError;

/// Runs a change; the line says busy, done (`ok_text`) or the API's error; done bumps `refresh`.
fn mutate<F, Fut>(
    ctx: &DeskCtx,
    status: &UseStateHandle<Load<String>>,
    ok_text: String,
    refresh: &UseStateHandle<u32>,
    f: F,
) where
    F: FnOnce(String) -> Fut + 'static,
    Fut: Future<Output = Result<(), AppError>> + 'static,
{
    let t = ctx.lang.desk();
    let token = match ctx.token() {
        Ok(token) => token,
        Err(err) => return status.set(Load::Failed(error_text(t, &err))),
    };
    status.set(Load::Loading);
    let (ctx, status, refresh) = (ctx.clone(), status.clone(), refresh.clone());
    wasm_bindgen_futures::spawn_local(async move {
        match f(token).await {
            Ok(()) => {
                status.set(Load::Ready(Rc::new(ok_text)));
                refresh.set(*refresh + 1);
            }
            Err(err) => {
                status.set(Load::Failed(error_text(t, &err)));
                ctx.on_error.emit(err);
            }
        }
    });
}

/// The result line of a change (`aria-live`).
fn result_line(testid: &'static str, status: &Load<String>, busy: &str) -> Html {
    let (text, error) = match status {
        Load::Idle => (String::new(), false),
        Load::Loading => (busy.to_owned(), false),
        Load::Ready(message) => ((**message).clone(), false),
        Load::Failed(message) => (message.clone(), true),
    };
    html! {
        <p class={classes!("desk-status", error.then_some("desk-status-error"))} role="status" aria-live="polite"
            data-testid={testid} data-state={status.state()}>{ text }</p>
    }
}

#[component]
pub fn AdminPage() -> Html {
    let texts = use_texts();
    let t = use_desk_texts();
    let ctx = use_desk();
    let refresh = use_state(|| 0_u32);
    let users = use_loader::<UserList>();
    let programs = use_loader::<ProgramList>();
    let agreements = use_loader::<AgreementList>();
    let orgs = use_loader::<OrgList>();
    let sessions = use_loader::<SessionList>();
    let members = use_loader::<MemberList>();
    let change = use_state(|| Load::<String>::Idle);

    // Forms.
    let username = use_state(String::new);
    let display_name = use_state(String::new);
    let password = use_state(String::new);
    let role = use_state(|| Role::Coach.as_str().to_owned());
    let new_user_programs = use_state(Vec::<Uuid>::new);
    let program_name = use_state(String::new);
    let members_program = use_state(String::new);
    let member_user = use_state(String::new);
    let agreement_program = use_state(String::new);
    let agreement_partner = use_state(String::new);
    let confirm_session = use_state(|| None::<Uuid>);

    {
        let (ctx, users, programs, agreements, orgs, sessions) =
            (ctx.clone(), users.clone(), programs.clone(), agreements.clone(), orgs.clone(), sessions.clone());
        let reload = ctx.as_ref().map(|c| c.reload);
        use_effect_with((*refresh, reload), move |_| {
            if let Some(ctx) = ctx.filter(DeskCtx::is_admin) {
                users.run(&ctx, |token| async move { office::users(&token).await });
                programs.run(&ctx, |token| async move { office::programs(&token).await });
                agreements.run(&ctx, |token| async move { office::agreements(&token).await });
                orgs.run(&ctx, |token| async move { office::orgs(&token).await });
                sessions.run(&ctx, |token| async move { office::sessions(&token).await });
            }
        });
    }
    {
        let (ctx, members) = (ctx.clone(), members.clone());
        let reload = ctx.as_ref().map(|c| c.reload);
        use_effect_with(((*members_program).clone(), *refresh, reload), move |(program, _, _)| {
            if let (Some(ctx), Ok(id)) = (ctx, Uuid::try_parse(program)) {
                members.run(&ctx, move |token| async move { office::members(&token, id).await });
            }
        });
    }
    let Some(ctx) = ctx else {
        return html! {};
    };
    if !ctx.is_admin() {
        return html! { <section class="desk-page"><p role="alert">{ t.admin_only }</p></section> };
    }
    let me = (*ctx.user).clone();

    let program_list = programs.state.ready().map(|p| p.programs.clone()).unwrap_or_default();
    let program_names: HashMap<Uuid, String> = program_list.iter().map(|p| (p.id, p.name.clone())).collect();
    let program_name_of = |id: Uuid| program_names.get(&id).cloned().unwrap_or_else(|| ctx.program_name(id));
    let mut program_options: Vec<(AttrValue, AttrValue)> =
        program_list.iter().map(|p| (AttrValue::from(p.id.to_string()), AttrValue::from(p.name.clone()))).collect();
    program_options.sort_by(|a, b| a.1.cmp(&b.1));
    let own_program_options: Vec<(AttrValue, AttrValue)> = program_list
        .iter()
        .filter(|p| p.org_id == me.org_id)
        .map(|p| (AttrValue::from(p.id.to_string()), AttrValue::from(p.name.clone())))
        .collect();
    let user_list = users.state.ready().map(|u| u.users.clone()).unwrap_or_default();
    let user_names: HashMap<Uuid, String> = user_list.iter().map(|u| (u.id, u.display_name.clone())).collect();
    let mut user_options: Vec<(AttrValue, AttrValue)> = user_list
        .iter()
        .filter(|u| !u.disabled)
        .map(|u| (AttrValue::from(u.id.to_string()), AttrValue::from(format!("{} ({})", u.display_name, u.username))))
        .collect();
    user_options.sort_by(|a, b| a.1.cmp(&b.1));
    let org_list = orgs.state.ready().map(|o| o.orgs.clone()).unwrap_or_default();
    let org_names: HashMap<Uuid, String> = org_list.iter().map(|o| (o.id, o.name.clone())).collect();
    let partner_options: Vec<(AttrValue, AttrValue)> = org_list
        .iter()
        .filter(|o| o.id != me.org_id)
        .map(|o| (AttrValue::from(o.id.to_string()), AttrValue::from(o.name.clone())))
        .collect();
    let role_options: Vec<(AttrValue, AttrValue)> =
        Role::ALL.iter().map(|r| (AttrValue::from(r.as_str()), AttrValue::from((texts.role_name)(*r)))).collect();

    // ---- actions
    let set_disabled = |id: Uuid, disabled: bool, name: String| {
        let (ctx, change, refresh) = (ctx.clone(), change.clone(), refresh.clone());
        Callback::from(move |_: MouseEvent| {
            let ok = if disabled { (t.user_disabled)(&name) } else { (t.user_enabled)(&name) };
            mutate(&ctx, &change, ok, &refresh, move |token| async move {
                office::set_user_disabled(&token, id, disabled).await
            });
        })
    };
    let on_create_user = {
        let (ctx, change, refresh) = (ctx.clone(), change.clone(), refresh.clone());
        let (username, display_name, password, role, progs) =
            (username.clone(), display_name.clone(), password.clone(), role.clone(), new_user_programs.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let body = CreateUser {
                username: username.trim().to_owned(),
                password: (*password).clone(),
                display_name: display_name.trim().to_owned(),
                role: Role::parse(&role).unwrap_or(Role::Coach),
                program_ids: (*progs).clone(),
            };
            let ok = (t.user_created)(&body.username);
            let (username, display_name, password, progs) =
                (username.clone(), display_name.clone(), password.clone(), progs.clone());
            mutate(&ctx, &change, ok, &refresh, move |token| async move {
                office::create_user(&token, &body).await?;
                username.set(String::new());
                display_name.set(String::new());
                password.set(String::new());
                progs.set(Vec::new());
                Ok(())
            });
        })
    };
    let on_create_program = {
        let (ctx, change, refresh, name) = (ctx.clone(), change.clone(), refresh.clone(), program_name.clone());
        let org_id = me.org_id;
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let body = CreateProgram { name: name.trim().to_owned(), org_id };
            let ok = (t.program_created)(&body.name);
            let name = name.clone();
            mutate(&ctx, &change, ok, &refresh, move |token| async move {
                office::create_program(&token, &body).await?;
                name.set(String::new());
                Ok(())
            });
        })
    };
    let on_add_member = {
        let (ctx, change, refresh) = (ctx.clone(), change.clone(), refresh.clone());
        let (program, user) = (members_program.clone(), member_user.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (Ok(program_id), Ok(user_id)) = (Uuid::try_parse(&program), Uuid::try_parse(&user)) else {
                return change.set(Load::Failed(t.pick_program_and_user.to_owned()));
            };
            mutate(&ctx, &change, t.member_added.to_owned(), &refresh, move |token| async move {
                office::add_member(&token, program_id, user_id).await
            });
        })
    };
    let remove_member = |program_id: Uuid, user_id: Uuid| {
        let (ctx, change, refresh) = (ctx.clone(), change.clone(), refresh.clone());
        Callback::from(move |_: MouseEvent| {
            mutate(&ctx, &change, t.member_removed.to_owned(), &refresh, move |token| async move {
                office::remove_member(&token, program_id, user_id).await
            });
        })
    };
    let on_create_agreement = {
        let (ctx, change, refresh) = (ctx.clone(), change.clone(), refresh.clone());
        let (program, partner) = (agreement_program.clone(), agreement_partner.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (Ok(program_id), Ok(partner_org_id)) = (Uuid::try_parse(&program), Uuid::try_parse(&partner)) else {
                return change.set(Load::Failed(t.pick_program_and_partner.to_owned()));
            };
            let body = CreateAgreement { program_id, partner_org_id };
            mutate(&ctx, &change, t.agreement_created.to_owned(), &refresh, move |token| async move {
                office::create_agreement(&token, &body).await.map(|_| ())
            });
        })
    };
    let ask_revoke = |id: Uuid| {
        let confirm = confirm_session.clone();
        Callback::from(move |_: MouseEvent| confirm.set(Some(id)))
    };
    let cancel_revoke = {
        let confirm = confirm_session.clone();
        Callback::from(move |_: MouseEvent| confirm.set(None))
    };
    let do_revoke = |id: Uuid| {
        let (ctx, change, refresh, confirm) = (ctx.clone(), change.clone(), refresh.clone(), confirm_session.clone());
        Callback::from(move |_: MouseEvent| {
            confirm.set(None);
            mutate(&ctx, &change, t.session_revoked_done.to_owned(), &refresh, move |token| async move {
                office::revoke_session(&token, id).await
            });
        })
    };
    let toggle_program = |id: Uuid| {
        let progs = new_user_programs.clone();
        Callback::from(move |_: Event| {
            let mut next = (*progs).clone();
            if let Some(i) = next.iter().position(|p| *p == id) {
                next.remove(i);
            } else {
                next.push(id);
            }
            progs.set(next);
        })
    };

    html! {
        <section class="desk-page admin" aria-labelledby="admin-title">
            <h1 id="admin-title">{ t.admin_title }</h1>
            { result_line("admin-result", &change, t.working) }

            // ---- users
            <section class="admin-section" aria-labelledby="users-title">
                <h2 id="users-title">{ t.users_title }</h2>
                { status_of("users-status", &users.state, None) }
                <p id="disable-note" class="hint">{ t.disable_note }</p>
                <div class="table-wrap">
                    <table class="desk-table">
                        <caption class="visually-hidden">{ t.users_title }</caption>
                        <thead><tr>
                            <th scope="col">{ t.col_name }</th>
                            <th scope="col">{ texts.username }</th>
                            <th scope="col">{ t.col_role }</th>
                            <th scope="col">{ t.col_programs }</th>
                            <th scope="col">{ texts.status_label }</th>
                            <th scope="col"><span class="visually-hidden">{ t.col_actions }</span></th>
                        </tr></thead>
                        <tbody>
                            { for user_list.iter().map(|u| html! {
                                <tr data-testid="user-row" data-user-id={u.id.to_string()} data-username={u.username.clone()}
                                    data-disabled={u.disabled.to_string()}>
                                    <th scope="row">{ u.display_name.clone() }</th>
                                    <td>{ u.username.clone() }</td>
                                    <td>{ (texts.role_name)(u.role) }</td>
                                    <td>{ u.program_ids.iter().map(|p| program_name_of(*p)).collect::<Vec<_>>().join(", ") }</td>
                                    <td>{ if u.disabled { t.user_state_disabled } else { t.user_state_active } }</td>
                                    <td>
                                        if u.disabled {
                                            <button type="button" class="small" data-testid="user-enable"
                                                onclick={set_disabled(u.id, false, u.display_name.clone())}
                                                aria-label={(t.enable_user)(&u.display_name)}>{ t.enable }</button>
                                        } else if u.id != me.id {
                                            <button type="button" class="small danger-outline" data-testid="user-disable"
                                                onclick={set_disabled(u.id, true, u.display_name.clone())}
                                                aria-label={(t.disable_user)(&u.display_name)}
                                                aria-describedby="disable-note">{ t.disable }</button>
                                        }
                                    </td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
                <form class="desk-form" onsubmit={on_create_user} aria-labelledby="new-user-title">
                    <h3 id="new-user-title">{ t.new_user_title }</h3>
                    <div class="form-row">
                        <div class="field">
                            <label for="new-user-username">{ texts.username }</label>
                            <input id="new-user-username" data-testid="new-user-username" autocomplete="off"
                                value={(*username).clone()} oninput={input_setter(&username)} required=true />
                        </div>
                        <div class="field">
                            <label for="new-user-display-name">{ t.display_name }</label>
                            <input id="new-user-display-name" data-testid="new-user-display-name" autocomplete="off"
                                value={(*display_name).clone()} oninput={input_setter(&display_name)} required=true />
                        </div>
                        <div class="field">
                            <label for="new-user-password">{ texts.password }</label>
                            <input id="new-user-password" type="password" data-testid="new-user-password"
                                autocomplete="new-password" value={(*password).clone()} oninput={input_setter(&password)}
                                required=true />
                        </div>
                        <div class="field">
                            <label for="new-user-role">{ t.col_role }</label>
                            <select id="new-user-role" data-testid="new-user-role" onchange={setter(&role)}>
                                { options(None, &role_options, &role) }
                            </select>
                        </div>
                    </div>
                    <fieldset class="checks">
                        <legend>{ t.col_programs }</legend>
                        { for program_list.iter().map(|p| {
                            let id = format!("new-user-program-{}", p.id);
                            html! {
                                <label for={id.clone()} class="check">
                                    <input type="checkbox" id={id} data-testid="new-user-program"
                                        data-program-id={p.id.to_string()}
                                        checked={new_user_programs.contains(&p.id)} onchange={toggle_program(p.id)} />
                                    { p.name.clone() }
                                </label>
                            }
                        }) }
                    </fieldset>
                    <button type="submit" class="primary" data-testid="new-user-save">{ t.create_user }</button>
                </form>
            </section>

            // ---- programs
            <section class="admin-section" aria-labelledby="programs-title">
                <h2 id="programs-title">{ t.programs_title }</h2>
                { status_of("programs-status", &programs.state, None) }
                <div class="table-wrap">
                    <table class="desk-table">
                        <caption class="visually-hidden">{ t.programs_title }</caption>
                        <thead><tr>
                            <th scope="col">{ t.col_name }</th>
                            <th scope="col">{ t.col_org }</th>
                            <th scope="col">{ t.col_id }</th>
                        </tr></thead>
                        <tbody>
                            { for program_list.iter().map(|p| html! {
                                <tr data-testid="program-row" data-program-id={p.id.to_string()}>
                                    <th scope="row">{ p.name.clone() }</th>
                                    <td>{ org_names.get(&p.org_id).cloned().unwrap_or_else(|| short_id(p.org_id)) }</td>
                                    <td><code>{ p.id.to_string() }</code></td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
                <form class="desk-form inline" onsubmit={on_create_program}>
                    <div class="field">
                        <label for="new-program-name">{ t.new_program_name }</label>
                        <input id="new-program-name" data-testid="new-program-name" value={(*program_name).clone()}
                            oninput={input_setter(&program_name)} required=true />
                    </div>
                    <button type="submit" class="primary" data-testid="new-program-save">{ t.create_program }</button>
                </form>
            </section>

            // ---- members
            <section class="admin-section" aria-labelledby="members-title">
                <h2 id="members-title">{ t.members_title }</h2>
                <div class="field">
                    <label for="members-program">{ t.col_program }</label>
                    <select id="members-program" data-testid="members-program" onchange={setter(&members_program)}>
                        { options(Some(t.choose_program), &program_options, &members_program) }
                    </select>
                </div>
                if let Ok(program_id) = Uuid::try_parse(&members_program) {
                    { status_of("members-status", &members.state, None) }
                    if let Some(list) = members.state.ready() {
                        <ul class="member-list">
                            { for list.members.iter().map(|m| html! {
                                <li data-testid="member-row" data-user-id={m.user_id.to_string()}>
                                    { m.display_name.clone() }{ " · " }{ (texts.role_name)(m.role) }
                                    if m.org_id != me.org_id {
                                        { " · " }{ org_names.get(&m.org_id).cloned().unwrap_or_else(|| short_id(m.org_id)) }
                                    }
                                    { " " }
                                    <button type="button" class="small" data-testid="member-remove"
                                        aria-label={(t.remove_member)(&m.display_name)}
                                        onclick={remove_member(program_id, m.user_id)}>{ t.remove }</button>
                                </li>
                            }) }
                        </ul>
                        if list.members.is_empty() { <p>{ t.none_yet }</p> }
                    }
                    <form class="desk-form inline" onsubmit={on_add_member}>
                        <div class="field">
                            <label for="member-user">{ t.col_user }</label>
                            <select id="member-user" data-testid="member-user" onchange={setter(&member_user)}>
                                { options(Some(t.choose_user), &user_options, &member_user) }
                            </select>
                        </div>
                        <button type="submit" class="primary" data-testid="member-add">{ t.add_member }</button>
                    </form>
                }
            </section>

            // ---- agreements
            <section class="admin-section" aria-labelledby="agreements-title">
                <h2 id="agreements-title">{ t.agreements_title }</h2>
                { status_of("agreements-status", &agreements.state, None) }
                <div class="table-wrap">
                    <table class="desk-table">
                        <caption class="visually-hidden">{ t.agreements_title }</caption>
                        <thead><tr>
                            <th scope="col">{ t.col_program }</th>
                            <th scope="col">{ t.col_partner }</th>
                        </tr></thead>
                        <tbody>
                            { for agreements.state.ready().map(|a| a.agreements.clone()).unwrap_or_default().iter().map(|a| html! {
                                <tr data-testid="agreement-row" data-agreement-id={a.id.to_string()}>
                                    <th scope="row">{ program_name_of(a.program_id) }</th>
                                    <td>{ org_names.get(&a.partner_org_id).cloned().unwrap_or_else(|| short_id(a.partner_org_id)) }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
                <form class="desk-form inline" onsubmit={on_create_agreement}>
                    <div class="field">
                        <label for="agreement-program">{ t.col_program }</label>
                        <select id="agreement-program" data-testid="agreement-program" onchange={setter(&agreement_program)}>
                            { options(Some(t.choose_program), &own_program_options, &agreement_program) }
                        </select>
                    </div>
                    <div class="field">
                        <label for="agreement-partner">{ t.col_partner }</label>
                        <select id="agreement-partner" data-testid="agreement-partner" onchange={setter(&agreement_partner)}>
                            { options(Some(t.choose_partner), &partner_options, &agreement_partner) }
                        </select>
                    </div>
                    <button type="submit" class="primary" data-testid="agreement-save">{ t.create_agreement }</button>
                </form>
            </section>

            // ---- sessions
            <section class="admin-section" aria-labelledby="sessions-title">
                <h2 id="sessions-title">{ t.sessions_title }</h2>
                { status_of("sessions-status", &sessions.state, None) }
                <div class="table-wrap">
                    <table class="desk-table">
                        <caption class="visually-hidden">{ t.sessions_title }</caption>
                        <thead><tr>
                            <th scope="col">{ t.col_user }</th>
                            <th scope="col">{ t.col_device }</th>
                            <th scope="col">{ t.col_last_seen }</th>
                            <th scope="col">{ t.col_created }</th>
                            <th scope="col"><span class="visually-hidden">{ t.col_actions }</span></th>
                        </tr></thead>
                        <tbody>
                            { for sessions.state.ready().map(|s| s.sessions.clone()).unwrap_or_default().iter().map(|s| {
                                let name = user_names.get(&s.user_id).cloned().unwrap_or_else(|| s.username.clone());
                                let confirming = *confirm_session == Some(s.id);
                                html! {
                                    <tr data-testid="session-row" data-session-id={s.id.to_string()}
                                        data-user-id={s.user_id.to_string()}>
                                        <th scope="row">{ name.clone() }{ " " }<span class="muted">{ format!("({})", s.username) }</span></th>
                                        <td>{ s.device_name.clone() }
                                            if s.current { { " " }<span class="tag">{ t.this_device }</span> }</td>
                                        <td><time>{ format::date_time(s.last_seen_at) }</time></td>
                                        <td><time>{ format::date_time(s.created_at) }</time></td>
                                        <td>
                                            if confirming {
                                                <div class="confirm" role="alertdialog" aria-labelledby={format!("revoke-q-{}", s.id)}>
                                                    <p id={format!("revoke-q-{}", s.id)}>{ (t.revoke_question)(&s.device_name, &name) }</p>
                                                    <button type="button" class="danger small" data-testid="session-revoke-confirm"
                                                        onclick={do_revoke(s.id)}>{ t.revoke_confirm }</button>
                                                    <button type="button" class="small" data-testid="session-revoke-cancel"
                                                        onclick={cancel_revoke.clone()}>{ texts.cancel }</button>
                                                </div>
                                            } else {
                                                <button type="button" class="small danger-outline" data-testid="session-revoke"
                                                    onclick={ask_revoke(s.id)}
                                                    aria-label={(t.revoke_label)(&s.device_name, &name)}>{ t.revoke }</button>
                                            }
                                        </td>
                                    </tr>
                                }
                            }) }
                        </tbody>
                    </table>
                </div>
            </section>
        </section>
    }
}
