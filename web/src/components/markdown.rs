//! Scenario notes are Markdown written by whoever made the link, so they are untrusted:
//! parsed with pulldown-cmark into a small tree of the elements notes need, then built as
//! Leptos views. Nothing is ever set as HTML: raw HTML in the notes shows as text, images
//! show as their alt text (a link must not make the page fetch anything), and links go
//! only to http(s) or to the playground's own `#/` routes.

use leptos::prelude::*;
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag};

/// What notes can hold.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    Text(String),
    Code(String),
    Break,
    Rule,
    Paragraph(Vec<Node>),
    /// Headings in notes are sub-headings of the scenario: levels 1–2 become h3, the rest h4.
    Heading(bool, Vec<Node>),
    Emphasis(Vec<Node>),
    Strong(Vec<Node>),
    Strike(Vec<Node>),
    Quote(Vec<Node>),
    CodeBlock(String),
    List(Option<u64>, Vec<Node>),
    Item(Vec<Node>),
    /// A link with a safe target; an unsafe one keeps only its text.
    Link(String, Vec<Node>),
}

/// Parses `text` into the tree shown.
pub fn parse(text: &str) -> Vec<Node> {
    // A stack of open containers; each holds the node kind to build and its children.
    let mut stack: Vec<(Option<Tag>, Vec<Node>)> = vec![(None, Vec::new())];
    let push = |stack: &mut Vec<(Option<Tag>, Vec<Node>)>, node: Node| {
        if let Some((_, children)) = stack.last_mut() {
            children.push(node);
        }
    };
    for event in Parser::new_ext(text, pulldown_cmark::Options::ENABLE_STRIKETHROUGH) {
        match event {
            Event::Start(tag) => stack.push((Some(tag.into_static()), Vec::new())),
            Event::End(_) => {
                if stack.len() < 2 {
                    continue;
                }
                let Some((Some(tag), children)) = stack.pop() else { continue };
                for node in close(tag, children) {
                    push(&mut stack, node);
                }
            }
            Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) => push(&mut stack, Node::Text(t.into_string())),
            Event::Code(t) => push(&mut stack, Node::Code(t.into_string())),
            Event::SoftBreak => push(&mut stack, Node::Text(" ".into())),
            Event::HardBreak => push(&mut stack, Node::Break),
            Event::Rule => push(&mut stack, Node::Rule),
            Event::TaskListMarker(done) => push(&mut stack, Node::Text(if done { "☑ " } else { "☐ " }.into())),
            Event::FootnoteReference(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                push(&mut stack, Node::Text(t.into_string()))
            }
        }
    }
    // Unbalanced input cannot happen with pulldown-cmark, but never lose text if it did.
    let mut out = Vec::new();
    for (_, children) in stack {
        out.extend(children);
    }
    out
}

/// The node(s) a closed tag becomes.
fn close(tag: Tag, children: Vec<Node>) -> Vec<Node> {
    let node = match tag {
        Tag::Paragraph => Node::Paragraph(children),
        Tag::Heading { level, .. } => Node::Heading(matches!(level, HeadingLevel::H1 | HeadingLevel::H2), children),
        Tag::BlockQuote(_) => Node::Quote(children),
        Tag::CodeBlock(_) => Node::CodeBlock(text_of(&children)),
        Tag::List(start) => Node::List(start, children),
        Tag::Item => Node::Item(children),
        Tag::Emphasis => Node::Emphasis(children),
        Tag::Strong => Node::Strong(children),
        Tag::Strikethrough => Node::Strike(children),
        Tag::Link { dest_url, .. } if safe(&dest_url) => Node::Link(dest_url.into_string(), children),
        // Images as their alt text, unsafe links as their text, everything else by content.
        _ => return children,
    };
    vec![node]
}

/// The words of `nodes`, without markup.
fn text_of(nodes: &[Node]) -> String {
    nodes
        .iter()
        .map(|n| match n {
            Node::Text(t) | Node::Code(t) | Node::CodeBlock(t) => t.clone(),
            Node::Break | Node::Rule => " ".into(),
            Node::Paragraph(c)
            | Node::Heading(_, c)
            | Node::Emphasis(c)
            | Node::Strong(c)
            | Node::Strike(c)
            | Node::Quote(c)
            | Node::List(_, c)
            | Node::Item(c)
            | Node::Link(_, c) => text_of(c),
        })
        .collect()
}

/// The first paragraph of `text` as plain words, for summaries.
pub fn first_paragraph(text: &str) -> String {
    parse(text)
        .iter()
        .find_map(|n| matches!(n, Node::Paragraph(_)).then(|| text_of(std::slice::from_ref(n))))
        .unwrap_or_default()
}

/// Link targets notes may use: the web, and the playground's own routes.
fn safe(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("#/")
}

fn render(nodes: Vec<Node>) -> AnyView {
    nodes.into_iter().map(render_one).collect_view().into_any()
}

fn render_one(node: Node) -> AnyView {
    match node {
        Node::Text(t) => t.into_any(),
        Node::Code(t) => view! { <code>{t}</code> }.into_any(),
        Node::Break => view! { <br/> }.into_any(),
        Node::Rule => view! { <hr/> }.into_any(),
        Node::Paragraph(c) => view! { <p>{render(c)}</p> }.into_any(),
        Node::Heading(true, c) => view! { <h3>{render(c)}</h3> }.into_any(),
        Node::Heading(false, c) => view! { <h4>{render(c)}</h4> }.into_any(),
        Node::Emphasis(c) => view! { <em>{render(c)}</em> }.into_any(),
        Node::Strong(c) => view! { <strong>{render(c)}</strong> }.into_any(),
        Node::Strike(c) => view! { <s>{render(c)}</s> }.into_any(),
        Node::Quote(c) => view! { <blockquote>{render(c)}</blockquote> }.into_any(),
        Node::CodeBlock(t) => view! { <pre class="code">{t}</pre> }.into_any(),
        Node::List(None, c) => view! { <ul>{render(c)}</ul> }.into_any(),
        Node::List(Some(start), c) => view! { <ol start=start.to_string()>{render(c)}</ol> }.into_any(),
        Node::Item(c) => view! { <li>{render(c)}</li> }.into_any(),
        Node::Link(href, c) if href.starts_with('#') => view! { <a href=href>{render(c)}</a> }.into_any(),
        Node::Link(href, c) => {
            view! { <a href=href target="_blank" rel="noopener noreferrer">{render(c)}</a> }.into_any()
        }
    }
}

/// Notes shown as safe Markdown.
#[component]
pub fn Markdown(text: String) -> impl IntoView {
    view! { <div class="notes markdown">{render(parse(&text))}</div> }
}

#[cfg(test)]
mod tests {
    use super::Node::*;
    use super::*;

    #[test]
    fn renders_what_notes_use() {
        assert_eq!(
            parse("A **bold** `PutItem`, *then*:\n\n1. one\n2. [docs](https://aws.amazon.com/)\n\n```\ncode <b>\n```"),
            vec![
                Paragraph(vec![
                    Text("A ".into()),
                    Strong(vec![Text("bold".into())]),
                    Text(" ".into()),
                    Code("PutItem".into()),
                    Text(", ".into()),
                    Emphasis(vec![Text("then".into())]),
                    Text(":".into()),
                ]),
                List(
                    Some(1),
                    vec![
                        Item(vec![Text("one".into())]),
                        Item(vec![Link("https://aws.amazon.com/".into(), vec![Text("docs".into())])]),
                    ]
                ),
                CodeBlock("code <b>\n".into()),
            ]
        );
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        /// Any text around a link of any target parses; a link is kept exactly when its
        /// target is safe, and every link kept has a safe target.
        #[test]
        fn any_notes_parse_to_safe_links(
            // Any printable text but code fences and HTML, which may run across blank lines.
            before in "[ -;=-_a-}\\n]{0,80}",
            scheme in proptest::sample::select(vec!["https://", "http://", "#/", "javascript:", "data:", "HTTPS://", "ftp://", ""]),
            rest in "[a-z0-9./]{1,20}",
            after in "[ -;=-_a-}\\n]{0,80}",
        ) {
            fn links(nodes: &[Node], out: &mut Vec<String>) {
                for n in nodes {
                    match n {
                        Link(href, c) => { out.push(href.clone()); links(c, out) }
                        Paragraph(c) | Heading(_, c) | Emphasis(c) | Strong(c) | Strike(c) | Quote(c) | List(_, c) | Item(c) => links(c, out),
                        _ => {}
                    }
                }
            }
            let href = format!("{scheme}{rest}");
            // On a line of its own, so the text around it cannot swallow it.
            let text = format!("{before}\n\n[here]({href})\n\n{after}");
            let mut found = Vec::new();
            links(&parse(&text), &mut found);
            for h in &found {
                proptest::prop_assert!(safe(h), "{}", h);
            }
            proptest::prop_assert_eq!(found.contains(&href), safe(&href), "{} in {:?}", href, text);
        }
    }

    #[test]
    fn hostile_markdown_stays_text() {
        let nodes = parse("Hi <b onclick=x>there</b>, [x](javascript:alert(1)) ![pic](https://evil/x.png)\n\n<script>alert(1)</script>");
        let all = format!("{nodes:?}");
        assert!(!all.contains("Link"), "{all}");
        assert!(all.contains("Text(\"<script>alert(1)</script>"), "raw HTML is kept as text: {all}");
        assert!(all.contains("Text(\"<b onclick=x>\")"), "inline HTML too: {all}");
        assert!(all.contains("pic"), "an image shows its alt text: {all}");
        assert!(!all.contains("evil"), "an image's address is dropped: {all}");
        assert_eq!(first_paragraph("# Head\n\nA `PutItem` **replaces**.\n\nMore."), "A PutItem replaces.");
        assert_eq!(parse("[ok](#/gallery)"), vec![Paragraph(vec![Link("#/gallery".into(), vec![Text("ok".into())])])]);
    }
}
