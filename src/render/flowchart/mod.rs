//! The decision flowchart drawn for the page: a layered top-down [`layout`] of our own, of
//! boxes of measured and wrapped [`text`], and the static [`svg`] made from it.

pub mod layout;
pub mod svg;
pub mod text;
