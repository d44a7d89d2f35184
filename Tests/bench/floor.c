// The benchmark's floor: what cmark-gfm alone takes to read the site's Markdown files, render
// them to HTML with the extensions portal uses and write one HTML file per page, on N threads.
// No site generator can build the same pages faster with the same Markdown library, so portal's
// full build divided by this time says how much the rest of the pipeline costs.
//
//   floor CONTENT_DIR OUT_DIR [THREADS]
//
// Every *.md under CONTENT_DIR becomes OUT_DIR/<same path>.html. Front matter (a first block
// between `---` lines) is skipped, as portal reads it as YAML rather than Markdown. Parse and
// render options are portal's (Markdown/CMark.swift): smart punctuation, raw HTML kept. Run.py
// compiles it with portal's cmark_special_characters.c, which lets parses run on several
// threads at once (cmark-gfm clears a process-wide table at the end of every parse otherwise).
#define _GNU_SOURCE
#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <errno.h>
#include <ftw.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *extension_names[] = {"table", "strikethrough", "autolink", "tagfilter", "tasklist"};
enum { extension_count = sizeof extension_names / sizeof extension_names[0] };

static cmark_syntax_extension *extensions[extension_count];
static cmark_llist *extension_list;

// The files to convert, found before the threads start; each thread takes the next index.
static char **paths;
static size_t path_count, path_capacity;
static atomic_size_t next_path;
static atomic_size_t bytes_written;
static size_t content_prefix;
static const char *out_dir;

static void die(const char *what, const char *path) {
    fprintf(stderr, "floor: %s %s: %s\n", what, path, strerror(errno));
    exit(1);
}

static int collect(const char *path, const struct stat *st, int type, struct FTW *ftw) {
    (void)st;
    (void)ftw;
    size_t length = strlen(path);
    if (type != FTW_F || length < 3 || strcmp(path + length - 3, ".md") != 0) return 0;
    if (path_count == path_capacity) {
        path_capacity = path_capacity ? path_capacity * 2 : 1024;
        paths = realloc(paths, path_capacity * sizeof *paths);
        if (!paths) die("out of memory at", path);
    }
    paths[path_count++] = strdup(path);
    return 0;
}

static char *read_file(const char *path, size_t *length) {
    FILE *file = fopen(path, "rb");
    if (!file) die("cannot read", path);
    fseek(file, 0, SEEK_END);
    long size = ftell(file);
    rewind(file);
    char *text = malloc((size_t)size + 1);
    if (!text || fread(text, 1, (size_t)size, file) != (size_t)size) die("cannot read", path);
    fclose(file);
    text[size] = 0;
    *length = (size_t)size;
    return text;
}

// Where the Markdown starts: after a front matter block, if the file opens with one.
static const char *body_of(const char *text) {
    if (strncmp(text, "---\n", 4) != 0) return text;
    const char *end = strstr(text + 4, "\n---\n");
    return end ? end + 5 : text;
}

// mkdir -p of the folders above `path` (which is changed in place and restored).
static void make_parents(char *path) {
    for (char *slash = strchr(path + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
        *slash = 0;
        if (mkdir(path, 0755) != 0 && errno != EEXIST) die("cannot create", path);
        *slash = '/';
    }
}

static void convert(const char *path) {
    size_t length;
    char *text = read_file(path, &length);
    const char *body = body_of(text);
    cmark_parser *parser = cmark_parser_new(CMARK_OPT_SMART);
    for (int i = 0; i < extension_count; i++) cmark_parser_attach_syntax_extension(parser, extensions[i]);
    cmark_parser_feed(parser, body, length - (size_t)(body - text));
    cmark_node *document = cmark_parser_finish(parser);
    char *html = cmark_render_html(document, CMARK_OPT_UNSAFE, extension_list);

    const char *relative = path + content_prefix;
    size_t out_length = strlen(out_dir) + strlen(relative) + 8;
    char *out_path = malloc(out_length);
    snprintf(out_path, out_length, "%s/%.*s.html", out_dir, (int)(strlen(relative) - 3), relative);
    make_parents(out_path);
    FILE *out = fopen(out_path, "wb");
    size_t html_length = strlen(html);
    if (!out || fwrite(html, 1, html_length, out) != html_length || fclose(out) != 0) die("cannot write", out_path);
    atomic_fetch_add(&bytes_written, html_length);

    free(out_path);
    free(html);
    cmark_node_free(document);
    cmark_parser_free(parser);
    free(text);
}

static void *work(void *unused) {
    (void)unused;
    for (size_t i; (i = atomic_fetch_add(&next_path, 1)) < path_count;) convert(paths[i]);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: floor CONTENT_DIR OUT_DIR [THREADS]\n");
        return 2;
    }
    int threads = argc == 4 ? atoi(argv[3]) : 2;
    if (threads < 1) threads = 1;
    out_dir = argv[2];
    content_prefix = strlen(argv[1]) + (argv[1][strlen(argv[1]) - 1] == '/' ? 0 : 1);

    cmark_gfm_core_extensions_ensure_registered();
    for (int i = 0; i < extension_count; i++) {
        extensions[i] = cmark_find_syntax_extension(extension_names[i]);
        if (!extensions[i]) {
            fprintf(stderr, "floor: cmark-gfm has no '%s' extension\n", extension_names[i]);
            return 1;
        }
        extension_list = cmark_llist_append(cmark_get_default_mem_allocator(), extension_list, extensions[i]);
    }
    if (nftw(argv[1], collect, 32, FTW_PHYS) != 0) die("cannot walk", argv[1]);
    if (mkdir(out_dir, 0755) != 0 && errno != EEXIST) die("cannot create", out_dir);

    pthread_t pool[threads];
    for (int i = 0; i < threads; i++) pthread_create(&pool[i], NULL, work, NULL);
    for (int i = 0; i < threads; i++) pthread_join(pool[i], NULL);
    printf("floor: cmark-gfm %s, %zu files, %zu bytes of HTML, %d threads\n", cmark_version_string(), path_count,
           (size_t)atomic_load(&bytes_written), threads);
    return 0;
}
