//! The PDF.co page-selection grammar, 0-based (most endpoints) or 1-based (`/pdf/split` and
//! `/pdf/edit/delete-pages`): one parser with a [`Base`].
//!
//! `""` selects every page. Otherwise a comma-separated list of items, spaces allowed anywhere
//! between tokens: `N`, `N-M` (inclusive), `N-` (to the last page) and `!N`, an index counted from
//! the end (`!0` is the last page). Both ends of a range may use either form (`!5-!2`, `0-!0`).
//! Pages come out in the order listed, duplicates kept; a range whose start lies after its end is
//! walked backwards (`5-2` = 5,4,3,2), so no listed page is silently dropped. Counted from 1, the
//! same forms shift by one: `1` is the first page, `!1` the last, and `0` or `!0` are refused.
//!
//! Parsing is split in two: [`PageSpec::parse`] checks the syntax without knowing the document
//! (errors map to PDF.co 450), [`PageSpec::resolve`] checks indices against the page count
//! (errors map to 449). A server can thus reject a malformed `pages` before fetching the PDF.

use crate::Error;

/// One end of a range, or a single page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageRef {
    /// 0-based index from the first page.
    FromStart(u64),
    /// 0-based index from the last page (`!0` = last).
    FromEnd(u64),
}

/// One comma-separated item of a selection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageItem {
    /// A single page.
    One(PageRef),
    /// An inclusive range; `None` as the end means "to the last page".
    Range(PageRef, Option<PageRef>),
}

/// Where a selection's numbers start. Items are stored 0-based either way; the base says how
/// the client wrote them, so that messages quote the client's own numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Base {
    #[default]
    Zero,
    One,
}

/// A parsed page selection, not yet tied to a document.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PageSpec {
    /// Empty means every page.
    pub items: Vec<PageItem>,
    pub base: Base,
}

/// Longest `pages` string accepted; a longer one is almost surely an attack or a mistake.
const MAX_SPEC_LEN: usize = 64 * 1024;

impl PageSpec {
    /// Every page of the document.
    pub fn all() -> Self {
        Self::default()
    }

    /// Parse a 0-based selection. Errors are [`Error::InvalidPageRange`].
    pub fn parse(spec: &str) -> Result<Self, Error> {
        Self::parse_based(spec, Base::Zero)
    }

    /// Parse a selection whose numbers start at `base`.
    pub fn parse_based(spec: &str, base: Base) -> Result<Self, Error> {
        if spec.len() > MAX_SPEC_LEN {
            return Err(invalid(spec, "it is too long"));
        }
        if spec.trim().is_empty() {
            return Ok(Self {
                items: Vec::new(),
                base,
            });
        }
        let items = spec
            .split(',')
            .map(|item| parse_item(item, base).map_err(|why| invalid(spec, &why)))
            .collect::<Result<_, _>>()?;
        Ok(Self { items, base })
    }

    /// The pages of each item, in order (one group per comma item; every page, one group each,
    /// for an empty selection): what `/pdf/split` makes one file of. `max_pages` bounds the
    /// pages of all groups together.
    pub fn resolve_groups(
        &self,
        page_count: usize,
        max_pages: usize,
    ) -> Result<Vec<Vec<usize>>, Error> {
        if self.items.is_empty() {
            return Ok(self
                .resolve(page_count, max_pages)?
                .into_iter()
                .map(|p| vec![p])
                .collect());
        }
        let mut total = 0;
        self.items
            .iter()
            .map(|item| {
                let mut pages = Vec::new();
                self.resolve_item(*item, page_count, max_pages, &mut total, &mut pages)?;
                Ok(pages)
            })
            .collect()
    }

    /// The 0-based page indices this selection names in a document of `page_count` pages.
    ///
    /// `max_pages` bounds the length of the result, so that `0-!0,0-!0,…` cannot make a
    /// request of millions of pages; exceeding it is [`Error::TooManyPages`].
    pub fn resolve(&self, page_count: usize, max_pages: usize) -> Result<Vec<usize>, Error> {
        if self.items.is_empty() {
            if page_count > max_pages {
                return Err(Error::TooManyPages {
                    requested: page_count,
                    limit: max_pages,
                });
            }
            return Ok((0..page_count).collect());
        }
        let (mut total, mut pages) = (0, Vec::new());
        for item in &self.items {
            self.resolve_item(*item, page_count, max_pages, &mut total, &mut pages)?;
        }
        Ok(pages)
    }

    /// Append the pages of `item` to `pages`, counting them in `total` against `max_pages`.
    fn resolve_item(
        &self,
        item: PageItem,
        page_count: usize,
        max_pages: usize,
        total: &mut usize,
        pages: &mut Vec<usize>,
    ) -> Result<(), Error> {
        let out_of_range = |r: PageRef| Error::PageOutOfRange {
            page: describe_ref(r, self.base),
            page_count,
            first: match self.base {
                Base::Zero => 0,
                Base::One => 1,
            },
        };
        let index = |r: PageRef| -> Result<usize, Error> {
            let n = usize::try_from(match r {
                PageRef::FromStart(n) | PageRef::FromEnd(n) => n,
            })
            .ok()
            .filter(|&n| n < page_count)
            .ok_or_else(|| out_of_range(r))?;
            Ok(match r {
                PageRef::FromStart(_) => n,
                PageRef::FromEnd(_) => page_count - 1 - n,
            })
        };
        let mut push = |p: usize| {
            if *total >= max_pages {
                return Err(Error::TooManyPages {
                    requested: *total + 1,
                    limit: max_pages,
                });
            }
            *total += 1;
            pages.push(p);
            Ok(())
        };
        match item {
            PageItem::One(r) => push(index(r)?)?,
            PageItem::Range(a, b) => {
                let start = index(a)?;
                let end = match b {
                    Some(b) => index(b)?,
                    None => page_count - 1,
                };
                if start <= end {
                    for p in start..=end {
                        push(p)?;
                    }
                } else {
                    for p in (end..=start).rev() {
                        push(p)?;
                    }
                }
            }
        }
        Ok(())
    }
}

fn invalid(spec: &str, why: &str) -> Error {
    let shown: String = spec.chars().take(80).collect();
    Error::InvalidPageRange {
        spec: shown,
        reason: why.to_string(),
    }
}

/// A reference as the client wrote it.
fn describe_ref(r: PageRef, base: Base) -> String {
    let shift = |n: u64| match base {
        Base::Zero => n,
        Base::One => n.saturating_add(1),
    };
    match r {
        PageRef::FromStart(n) => shift(n).to_string(),
        PageRef::FromEnd(n) => format!("!{}", shift(n)),
    }
}

fn parse_item(item: &str, base: Base) -> Result<PageItem, String> {
    let item = item.trim();
    if item.is_empty() {
        return Err("an item between commas is empty".into());
    }
    match item.split_once('-') {
        None => Ok(PageItem::One(parse_ref(item, base)?)),
        Some((a, b)) => {
            let start = parse_ref(a.trim(), base)?;
            let b = b.trim();
            let end = if b.is_empty() {
                None
            } else {
                Some(parse_ref(b, base)?)
            };
            Ok(PageItem::Range(start, end))
        }
    }
}

fn parse_ref(s: &str, base: Base) -> Result<PageRef, String> {
    let (from_end, digits) = match s.strip_prefix('!') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, s),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("'{s}' is not a page number (use N, !N, N-M or N-)"));
    }
    // Absurdly long numbers saturate: they are valid syntax, and resolve() reports them out of range.
    let n = digits.parse::<u64>().unwrap_or(u64::MAX);
    let n = match base {
        Base::Zero => n,
        Base::One => n.checked_sub(1).ok_or_else(|| {
            format!("'{s}' is not a page: pages are counted from 1 here (the last is !1)")
        })?,
    };
    Ok(if from_end {
        PageRef::FromEnd(n)
    } else {
        PageRef::FromStart(n)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sel(spec: &str, count: usize) -> Result<Vec<usize>, Error> {
        PageSpec::parse(spec)?.resolve(count, 10_000)
    }

    #[test]
    fn examples_from_the_contract() {
        assert_eq!(sel("", 3).unwrap(), vec![0, 1, 2]);
        assert_eq!(sel("  ", 2).unwrap(), vec![0, 1]);
        assert_eq!(sel("0,2-5,7-", 10).unwrap(), vec![0, 2, 3, 4, 5, 7, 8, 9]);
        assert_eq!(sel("!0", 10).unwrap(), vec![9]);
        assert_eq!(sel("!1", 10).unwrap(), vec![8]);
        assert_eq!(sel("!5-!2", 10).unwrap(), vec![4, 5, 6, 7]);
        assert_eq!(sel("0-!0", 4).unwrap(), vec![0, 1, 2, 3]);
        assert_eq!(sel(" 3 , 1 - 2 ,! 0", 5).unwrap(), vec![3, 1, 2, 4]);
        assert_eq!(sel("2,2", 3).unwrap(), vec![2, 2]);
        assert_eq!(sel("3-1", 5).unwrap(), vec![3, 2, 1]);
    }

    #[test]
    fn out_of_range_is_449() {
        for spec in ["5", "0-5", "!5", "5-", "99999999999999999999999", "1-!9"] {
            let e = sel(spec, 5).unwrap_err();
            assert_eq!(e.code(), 449, "{spec}: {e}");
        }
    }

    #[test]
    fn malformed_is_450() {
        for spec in [
            "a", "1,", ",1", "1,,2", "-3", "1-2-3", "!", "!-1", "1.5", "0x1", "1 2", "*",
        ] {
            let e = PageSpec::parse(spec).unwrap_err();
            assert_eq!(e.code(), 450, "{spec}: {e}");
        }
    }

    #[test]
    fn page_cap_applies() {
        let e = sel("0-!0,0-!0", 6000).unwrap_err();
        assert!(matches!(e, Error::TooManyPages { .. }), "{e}");
        assert!(matches!(
            PageSpec::all().resolve(10_001, 10_000),
            Err(Error::TooManyPages { .. })
        ));
    }

    fn arb_ref() -> impl Strategy<Value = PageRef> {
        prop_oneof![
            (0u64..40).prop_map(PageRef::FromStart),
            (0u64..40).prop_map(PageRef::FromEnd)
        ]
    }

    fn arb_item() -> impl Strategy<Value = PageItem> {
        prop_oneof![
            arb_ref().prop_map(PageItem::One),
            (arb_ref(), proptest::option::of(arb_ref())).prop_map(|(a, b)| PageItem::Range(a, b)),
        ]
    }

    fn render_ref(r: PageRef, sp: &str) -> String {
        match r {
            PageRef::FromStart(n) => format!("{sp}{n}{sp}"),
            PageRef::FromEnd(n) => format!("{sp}!{n}{sp}"),
        }
    }

    fn render_item(i: PageItem, sp: &str) -> String {
        match i {
            PageItem::One(r) => render_ref(r, sp),
            PageItem::Range(a, b) => format!(
                "{}-{}",
                render_ref(a, sp),
                b.map(|b| render_ref(b, sp))
                    .unwrap_or_else(|| sp.to_string())
            ),
        }
    }

    /// An independent, obviously-correct model of the grammar's meaning.
    fn model(items: &[PageItem], count: usize) -> Option<Vec<usize>> {
        let idx = |r: PageRef| match r {
            PageRef::FromStart(n) => (n < count as u64).then_some(n as usize),
            PageRef::FromEnd(n) => (n < count as u64).then(|| count - 1 - n as usize),
        };
        let mut out = vec![];
        for &i in items {
            match i {
                PageItem::One(r) => out.push(idx(r)?),
                PageItem::Range(a, b) => {
                    let (s, e) = (idx(a)?, b.map_or(Some(count.checked_sub(1)?), idx)?);
                    if s <= e {
                        out.extend(s..=e)
                    } else {
                        out.extend((e..=s).rev())
                    }
                }
            }
        }
        Some(out)
    }

    /// `/pdf/split` and `/pdf/edit/delete-pages` count from 1: the same grammar shifted, with
    /// messages in the client's numbers; each item is one group.
    #[test]
    fn one_based_selections_and_groups() {
        let one = |spec: &str, count| PageSpec::parse_based(spec, Base::One)?.resolve(count, 100);
        assert_eq!(one("1-2,3-", 5).unwrap(), vec![0, 1, 2, 3, 4]);
        assert_eq!(one("!1", 5).unwrap(), vec![4]);
        assert_eq!(one("!2-!1", 5).unwrap(), vec![3, 4]);
        for bad in ["0", "!0", "0-2"] {
            let e = PageSpec::parse_based(bad, Base::One).unwrap_err();
            assert_eq!(e.code(), 450, "{bad}: {e}");
        }
        let e = one("6", 5).unwrap_err();
        assert_eq!(e.code(), 449);
        assert!(
            e.to_string().contains("'6'") || e.to_string().contains(" 6"),
            "{e}"
        );
        let groups = PageSpec::parse_based("1-2,3-", Base::One)
            .unwrap()
            .resolve_groups(5, 100)
            .unwrap();
        assert_eq!(groups, vec![vec![0, 1], vec![2, 3, 4]]);
        let every = PageSpec::parse_based("", Base::One).unwrap();
        assert_eq!(
            every.resolve_groups(3, 100).unwrap(),
            vec![vec![0], vec![1], vec![2]]
        );
        let e = PageSpec::parse("0-!0,0-!0")
            .unwrap()
            .resolve_groups(60, 100);
        assert!(matches!(e, Err(Error::TooManyPages { .. })));
    }

    proptest! {
        #[test]
        fn parse_agrees_with_model(
            items in proptest::collection::vec(arb_item(), 1..6),
            count in 1usize..50,
            spaces in prop_oneof![Just(""), Just(" "), Just("  \t")],
        ) {
            let text = items.iter().map(|&i| render_item(i, spaces)).collect::<Vec<_>>().join(",");
            let parsed = PageSpec::parse(&text).unwrap();
            prop_assert_eq!(&parsed.items, &items);
            match (parsed.resolve(count, 1_000_000), model(&items, count)) {
                (Ok(got), Some(want)) => prop_assert_eq!(got, want),
                (Err(e), None) => prop_assert_eq!(e.code(), 449),
                (got, want) => prop_assert!(false, "{text}: got {got:?}, model {want:?}"),
            }
        }

        #[test]
        fn arbitrary_text_never_panics(text in "[0-9!, \\-a-z]{0,30}", count in 0usize..20) {
            if let Ok(spec) = PageSpec::parse(&text) {
                match spec.resolve(count, 1000) {
                    Ok(pages) => prop_assert!(pages.iter().all(|&p| p < count)),
                    Err(e) => prop_assert!(matches!(e.code().as_u16(), 449 | 400), "{e}"),
                }
            }
        }
    }
}
