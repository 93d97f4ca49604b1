//! The desk's entry point (office and admin, docs/DESK.md): mounts `DeskApp`
//! into `frontend/desk/index.html`'s `<body>`. Its own bundle, served at
//! `/desk/`, so the field app (`main.rs`) that phones download and precache
//! holds none of the desk.

fn main() {
    yew::Renderer::<frontend::desk::app::DeskApp>::new().render();
}
