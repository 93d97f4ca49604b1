//! Shared widgets: the header with the sync status, the bottom navigation,
//! banners, the saved toast, form fields, links, and the auto-lock watcher.

pub mod autolock;
pub mod banners;
pub mod field;
pub mod header;
pub mod link;
pub mod nav;
pub mod relogin;
pub mod sync_status;
pub mod toast;

pub use autolock::AutoLock;
pub use banners::Banners;
pub use field::{Checkbox, FormError, Input, Select, SubmitBar, TextArea};
pub use header::Header;
pub use link::RouteLink;
pub use nav::BottomNav;
pub use sync_status::SyncStatusView;
pub use toast::Toast;
