#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>

/* The table extension's node type, assigned when the extensions are registered. */
extern cmark_node_type CMARK_NODE_TABLE;
static inline cmark_node_type portal_table_node_type(void) { return CMARK_NODE_TABLE; }
