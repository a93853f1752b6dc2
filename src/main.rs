//! Entry point: mounts the app into the page (browser-only).

#[cfg(target_arch = "wasm32")]
fn main() {
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    tsuzuri::ui::mount();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("Tsuzuri runs in the browser: build it with trunk (see README.md).");
}
