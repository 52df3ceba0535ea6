//! The attributes of an element that the cleaner reads, found in one pass over them: the
//! extractor and the metadata walk both use this one reader.

/// The attributes the cleaner reads.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Attrs<'a> {
    pub(crate) class: Option<&'a str>,
    pub(crate) id: Option<&'a str>,
    pub(crate) itemprop: Option<&'a str>,
    pub(crate) itemscope: bool,
    pub(crate) itemtype: Option<&'a str>,
    pub(crate) rel: Option<&'a str>,
    pub(crate) datetime: Option<&'a str>,
    pub(crate) pubdate: bool,
    pub(crate) content: Option<&'a str>,
    pub(crate) href: Option<&'a str>,
    pub(crate) property: Option<&'a str>,
    pub(crate) name: Option<&'a str>,
    pub(crate) http_equiv: Option<&'a str>,
    pub(crate) kind: Option<&'a str>,
    pub(crate) lang: Option<&'a str>,
    /// Hidden from readers: `hidden`, `aria-hidden="true"`, or `display: none` /
    /// `visibility: hidden` in the inline style.
    pub(crate) hidden: bool,
}

impl<'a> Attrs<'a> {
    /// Reads the attributes of `element`.
    pub(crate) fn of(element: &'a scraper::node::Element) -> Attrs<'a> {
        let mut attrs = Attrs::default();
        for (name, value) in element.attrs() {
            match name {
                "class" => attrs.class = Some(value),
                "id" => attrs.id = Some(value),
                "itemprop" => attrs.itemprop = Some(value),
                "itemscope" => attrs.itemscope = true,
                "itemtype" => attrs.itemtype = Some(value),
                "rel" => attrs.rel = Some(value),
                "datetime" => attrs.datetime = Some(value),
                "pubdate" => attrs.pubdate = true,
                "content" => attrs.content = Some(value),
                "href" => attrs.href = Some(value),
                "property" => attrs.property = Some(value),
                "name" => attrs.name = Some(value),
                "http-equiv" => attrs.http_equiv = Some(value),
                "type" => attrs.kind = Some(value),
                "lang" => attrs.lang = attrs.lang.or(Some(value)),
                "hidden" => attrs.hidden = true,
                "aria-hidden" => attrs.hidden |= value.eq_ignore_ascii_case("true"),
                "style" => attrs.hidden |= hides(value),
                _ => {}
            }
        }
        attrs
    }
}

/// True when an inline style hides the element.
fn hides(style: &str) -> bool {
    let compact: String = style.chars().filter(|c| !c.is_whitespace()).map(|c| c.to_ascii_lowercase()).collect();
    compact.contains("display:none") || compact.contains("visibility:hidden")
}
