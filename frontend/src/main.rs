//! Stegvis web app entry point: mounts the Yew app into the page's `<body>`.
//!
//! Built for `wasm32-unknown-unknown` by Trunk (`cargo xtask build-app`); `frontend/index.html`
//! is the page Trunk bundles it into.

fn main() {
    yew::Renderer::<frontend::app::App>::new().render();
}
