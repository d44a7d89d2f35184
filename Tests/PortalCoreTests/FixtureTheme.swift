/// The theme core tests build with: every file of the built-in theme, replaced by markup made
/// for the tests, so an edit of the real theme (`Themes/default/`) cannot break a test about
/// loading, resolving, rendering or writing. Each page template shows the facts its pages have
/// (titles, links, paragraphs, tables, citations) in plain elements without classes or prose.
/// `SiteFixture` writes it to the site's `Themes/default/`, which overrides the built-in theme
/// file by file; `FixtureThemeTests` checks it overrides every file, so nothing of the real
/// theme shows through. Tests about the real theme's output opt in with `theme: .real`.
let minimalThemeFiles: [String: String] = [
    "assets/site.css": "body { margin: 0; }\n",
    "assets/plain.css": "body { margin: 1rem; }\n",
    "assets/search.js": "window.PORTAL_FIXTURE_SEARCH = true;\n",
    "templates/layout.mustache": """
    <!DOCTYPE html>
    <html lang="{{lang}}">
    <head>
    <meta charset="utf-8">
    <title>{{title}}</title>
    <meta name="description" content="{{description}}">
    {{#base_href}}<base href="{{base_href}}">{{/base_href}}{{#base_script}}<script>{{{base_script}}}</script>{{/base_script}}{{#inline_css}}<style>{{{inline_css}}}</style>{{/inline_css}}{{^inline_css}}<link rel="stylesheet" href="{{root}}assets/site.css">{{/inline_css}}
    </head>
    <body>
    <nav><a href="{{home_href}}">{{site_title}}</a>{{#nav}} <a href="{{href}}">{{title}}</a>{{/nav}}{{#reference_nav}} <a href="{{href}}">{{title}}</a>{{/reference_nav}}</nav>
    {{#has_breadcrumbs}}<ol>{{#breadcrumbs}}<li><a href="{{href}}">{{title}}</a></li>{{/breadcrumbs}}</ol>{{/has_breadcrumbs}}
    <main>
    {{{content}}}
    {{#last_updated}}<p>Changed <time datetime="{{date_iso}}">{{date}}</time> by {{author}}</p>{{/last_updated}}
    </main>
    </body>
    </html>

    """,
    "templates/home.mustache": """
    <h1>{{site_title}}</h1>
    {{#report}}<p>{{{summary_html}}}</p>{{#details}}<p>{{label}}: {{#href}}<a href="{{href}}">{{value}}</a>{{/href}}{{^href}}{{value}}{{/href}}</p>{{/details}}{{/report}}
    <p><a href="{{search_href}}">Search</a>{{#report_href}} <a href="{{report_href}}">Report</a>{{/report_href}} <a href="{{capabilities_href}}">{{capabilities_text}}</a> <a href="{{tables_href}}">{{tables_text}}</a> <a href="{{commitments_href}}">{{commitments_text}}</a> <a href="{{glossary_href}}">{{glossary_text}}</a></p>
    {{#card_kinds}}
    <h2 id="{{anchor}}">{{heading}}</h2>
    <ul>
    {{#cards}}<li><a href="{{href}}">{{title}}</a> {{paragraph_range}} {{{summary_html}}}{{#key_figures}} <a href="{{paragraph_href}}">{{value}}</a>{{/key_figures}}</li>
    {{/cards}}
    </ul>
    {{/card_kinds}}
    {{#charts}}{{{html}}}<a href="{{href}}">{{caption}}</a>
    {{/charts}}
    {{#commitments}}<p>{{due}}: {{{what_html}}} <a href="{{paragraph_href}}">{{paragraph}}</a></p>
    {{/commitments}}
    {{#list_kinds}}
    <h2 id="{{anchor}}">{{heading}}</h2>
    <ul>{{#sections}}<li><a href="{{href}}">{{title}}</a></li>{{/sections}}</ul>
    {{/list_kinds}}

    """,
    "templates/section.mustache": """
    <h1>{{title}}</h1>
    <p>{{{summary_html}}}</p>
    <p>{{paragraph_range}}{{#report_href}} <a href="{{report_href}}">report</a>{{/report_href}}</p>
    {{#lead}}<p>{{{lead_html}}}</p>{{/lead}}
    {{#inspection}}<p>{{body}}: {{status}}{{#paragraph_href}} <a href="{{paragraph_href}}">{{paragraph}}</a>{{/paragraph_href}}</p>{{/inspection}}
    {{#boards}}<a href="{{href}}">{{name}}</a>
    {{/boards}}
    {{#key_figures}}<p>{{value}} {{{label_html}}}{{#target}} ({{target_label}} {{target}}{{#target_gap}}: {{target_gap}}{{/target_gap}}){{/target}} <a href="{{paragraph_href}}">{{paragraph}}</a></p>
    {{/key_figures}}
    {{#has_contents}}<ol>{{#contents}}<li><a href="#{{id}}">{{text}}</a></li>{{/contents}}</ol>{{/has_contents}}
    <div>
    {{{body}}}
    </div>
    {{#capabilities}}<p><a href="{{href}}">{{title}}</a> {{level}}</p>
    {{/capabilities}}
    {{#tables}}{{#embedded_href}}<p><a href="{{embedded_href}}">{{caption}}</a> <a href="{{href}}">page</a></p>{{/embedded_href}}{{#table_html}}{{{table_html}}}<p><a href="{{href}}">{{caption}}</a> <a href="{{csv_href}}">CSV</a></p>{{/table_html}}
    {{/tables}}
    {{#commitments}}<p>{{due}}: {{what}} <a href="{{paragraph_href}}">{{paragraph}}</a></p>
    {{/commitments}}
    {{#previous}}<a href="{{href}}" rel="prev">{{title}}</a>{{/previous}}{{#next}}<a href="{{href}}" rel="next">{{title}}</a>{{/next}}

    """,
    "templates/capability.mustache": """
    <h1>{{title}}</h1>
    <p>{{summary}}</p>
    <p>{{#has_level}}{{level}}{{/has_level}}{{#aliases}} {{aliases}}{{/aliases}}</p>
    {{#threats}}<a href="{{href}}">{{title}}</a>
    {{/threats}}
    {{#has_contents}}<ol>{{#contents}}<li><a href="#{{id}}">{{text}}</a></li>{{/contents}}</ol>{{/has_contents}}
    {{#figures}}<p>{{value}} {{{label_html}}} <a href="{{paragraph_href}}">{{paragraph}}</a></p>
    {{/figures}}
    {{#has_body}}<div>{{{body}}}</div>{{/has_body}}
    {{#tables}}{{{table_html}}}<p><a href="{{href}}">{{caption}}</a> <a href="{{csv_href}}">CSV</a></p>
    {{/tables}}
    <p>{{citation_count}} {{citation_noun}}</p>
    {{#citations}}<h2><a href="{{href}}">{{title}}</a></h2>
    <ul>{{#paragraphs}}<li><a href="{{href}}">{{number}}</a> {{{excerpt_html}}}</li>{{/paragraphs}}</ul>
    {{/citations}}
    {{#other_citations}}<a href="{{href}}">{{title}}</a>
    {{/other_citations}}

    """,
    "templates/capabilities.mustache": """
    <h1>Capabilities</h1>
    <p>{{count_text}}</p>
    {{#by_level}}<h2 id="{{id}}">{{name}} ({{count}})</h2>
    <ul>{{#items}}<li><a href="{{href}}">{{title}}</a></li>{{/items}}</ul>
    {{/by_level}}
    {{#by_threat}}<h2 id="{{id}}"><a href="{{href}}">{{title}}</a> ({{count}})</h2>
    <ul>{{#items}}<li><a href="{{href}}">{{title}}</a></li>{{/items}}</ul>
    {{/by_threat}}

    """,
    "templates/glossary.mustache": """
    <h1>Glossary</h1>
    <p>{{count_text}}</p>
    {{#letters}}<h2 id="{{id}}">{{letter}}</h2>
    <dl>{{#entries}}<div id="{{anchor}}"><dt>{{term}}</dt><dd>{{#expanded}}{{expansion}}{{/expanded}}{{#paragraph_href}} <a href="{{paragraph_href}}">{{paragraph}}</a>{{/paragraph_href}}{{#used_html}} {{{used_html}}}{{/used_html}}</dd></div>{{/entries}}</dl>
    {{/letters}}

    """,
    "templates/commitments.mustache": """
    <h1>Commitments</h1>
    <p>{{count_text}}</p>
    <ul>
    {{#commitments}}<li>{{#due_iso}}<time datetime="{{due_iso}}">{{due}}</time>{{/due_iso}}{{^due_iso}}{{due}}{{/due_iso}} {{what}} {{due_text}}{{#section_href}} <a href="{{section_href}}">{{section_title}}</a>{{/section_href}} <a href="{{paragraph_href}}">{{paragraph}}</a></li>
    {{/commitments}}
    </ul>

    """,
    "templates/register.mustache": """
    <h1>{{title}}</h1>
    <p>{{intro}}</p>
    {{#entries}}<section id="{{anchor}}"><h2>{{name}}</h2>{{description}}{{chair}}{{scope}}{{#threats}} <a href="{{href}}">{{title}}</a>{{/threats}} {{{paragraphs_html}}}</section>
    {{/entries}}

    """,
    "templates/report.mustache": """
    <h1>{{report_title}}</h1>
    <p>{{organisation}} {{recipient}} {{board}} {{agenda_item}} {{meeting_date}} {{paragraphs_text}}</p>
    {{#sections}}<section><h2 id="{{id}}">{{title}}</h2><p>{{paragraph_range}} <a href="{{href}}">{{title}}</a></p>
    {{{body}}}
    </section>
    {{/sections}}

    """,
    "templates/search.mustache": """
    <h1>Search</h1>
    <form id="search-form" action="index.html" data-root="{{root}}"><input id="search-q" name="q"></form>
    <p>{{paragraphs_text}}, {{capabilities_text}}{{#examples}} {{text}}{{separator}}{{/examples}}</p>
    <p>{{#report_href}}<a href="{{report_href}}">report</a> {{/report_href}}<a href="{{capabilities_href}}">capabilities</a> <a href="{{tables_href}}">tables</a> <a href="{{glossary_href}}">glossary</a></p>
    <p id="search-status"></p><div id="search-results"></div>
    <script src="{{index_src}}"></script>
    <script src="{{script_src}}"></script>

    """,
    "templates/table.mustache": """
    <h1>{{title}}</h1>
    <p>{{{paragraphs_html}}}{{#section_title}} <a href="{{section_href}}">{{section_title}}</a>{{/section_title}}</p>
    <p>{{#has_verified}}{{verified_text}}{{/has_verified}}{{#has_discrepancies}} {{discrepancy_text}}{{/has_discrepancies}} <a href="{{csv_href}}">CSV</a></p>
    {{{table_html}}}

    """,
    "templates/tables.mustache": """
    <h1>Figures</h1>
    <ul>
    {{#tables}}<li><a href="{{href}}">{{caption}}</a> {{{paragraphs_html}}}{{#section_title}} <a href="{{section_href}}">{{section_title}}</a>{{/section_title}}</li>
    {{/tables}}
    </ul>

    """,
    "templates/not-found.mustache": """
    <h1>Page not found</h1>
    <p><a href="index.html">Home</a></p>

    """,
    "templates/editions.mustache": """
    <h1>Editions</h1>
    <ul>{{#editions}}<li><a href="{{edition_href}}">{{edition_title}}</a>{{#edition_changes_href}} <a href="{{edition_changes_href}}">changes</a>{{/edition_changes_href}}</li>{{/editions}}</ul>

    """,
    "templates/changes.mustache": """
    <h1>{{title}}</h1>
    <p>Since <a href="{{since_href}}">{{since_title}}</a>. {{changes_summary}}</p>
    <ul>{{#section_counts}}<li><a href="{{href}}">{{title}}</a> {{changed_count}} {{added_count}} {{removed_count}} {{moved_count}}</li>{{/section_counts}}</ul>
    {{{figures_html}}}{{{cells_html}}}{{{trends_html}}}{{{commitments_html}}}

    """,
    "templates/section-changes.mustache": """
    <h1>{{title}}</h1>
    {{#paragraph_changes}}<p>{{change_label}}: {{{diff_html}}}{{#old_href}} <a href="{{old_href}}">{{old_number}}</a>{{/old_href}}{{#new_href}} <a href="{{new_href}}">{{new_number}}</a>{{/new_href}}</p>{{/paragraph_changes}}

    """,
]
