//! The frame of the pages people reach without the apps: the citizens' feedback form, the map portal, and the
//! pages behind email links. Server-rendered with maud (every value escaped), Ukrainian by default and English
//! with `?lang=en`, readable on a 360 px phone without JavaScript.

use maud::{html, Markup, PreEscaped, DOCTYPE};

#[derive(Clone, Copy, PartialEq)]
pub(super) enum Lang {
    Uk,
    En,
}

impl Lang {
    pub(super) fn from(text: Option<&str>) -> Self {
        if text == Some("en") {
            Lang::En
        } else {
            Lang::Uk
        }
    }
    pub(super) fn code(self) -> &'static str {
        match self {
            Lang::Uk => "uk",
            Lang::En => "en",
        }
    }
    pub(super) fn t(self, uk: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Uk => uk,
            Lang::En => en,
        }
    }
}

impl From<Lang> for crate::domain::Language {
    fn from(lang: Lang) -> Self {
        match lang {
            Lang::Uk => crate::domain::Language::Uk,
            Lang::En => crate::domain::Language::En,
        }
    }
}

/// The citizens' pages' frame (the feedback form and the map portal): the language, the title, the shared
/// styles plus `style`, an optional module script of this service, and no favicon request.
pub(super) fn public_page(lang: Lang, title: &str, style: &str, script: Option<&str>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                // No favicon request: the page asks this service for nothing but itself and its scripts.
                link rel="icon" href="data:,";
                style { (PreEscaped(STYLE)) (PreEscaped(style)) }
                @if let Some(src) = script { script type="module" src=(src) {} }
            }
            body {
                main { (body) }
            }
        }
    }
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:0;color:#111827;background:#f9fafb;line-height:1.45;\
overflow-wrap:anywhere}table{overflow-wrap:normal}th,td{overflow-wrap:break-word}.scroll{overflow-x:auto}\
main{max-width:40rem;margin:0 auto;padding:1rem}h1{font-size:1.4rem;margin:.5rem 0}\
fieldset{border:1px solid #d1d5db;border-radius:8px;margin:1rem 0;padding:.5rem .75rem;background:#fff}\
legend{font-weight:600;padding:0 .25rem}.levels label,.nps label{display:inline-flex;align-items:center;gap:.3rem;\
margin:.25rem .75rem .25rem 0;min-height:44px}.nps label{margin-right:.4rem}input[type=radio]{width:1.3rem;height:1.3rem}\
label.block{display:block;margin-top:.75rem;font-weight:600}input[type=text],input[type=tel],input[type=email],input[type=password],select,textarea\
{width:100%;box-sizing:border-box;font:inherit;padding:.6rem;border:1px solid #6b7280;border-radius:6px;background:#fff}\
textarea{min-height:6rem}button{font:inherit;font-weight:600;background:#1d4ed8;color:#fff;border:0;border-radius:8px;\
padding:.8rem 1.4rem;margin:1rem 0;min-height:44px}.hint{color:#4b5563;font-size:.95rem}.error{color:#991b1b;font-weight:600}\
.errors{border:2px solid #991b1b;border-radius:8px;padding:.5rem 1rem;background:#fef2f2}.trap{position:absolute;left:-10000px;\
width:1px;height:1px;overflow:hidden}a{color:#1d4ed8}.lang{text-align:right}.nps .ends{display:flex;justify-content:space-between}";
