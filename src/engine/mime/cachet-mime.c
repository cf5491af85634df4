/* cachet-mime.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cachet-mime.h"
#include "cachet-smime-context.h"

G_DEFINE_QUARK (cachet-mime-error-quark, cachet_mime_error)

/* GMime keeps a copy of the parser options, warning callback and user data
 * included, in every header list it builds, and may warn again long after
 * parsing (when a header is changed, say), possibly after the message is gone
 * while one of its parts is still referenced. So the user data is not a
 * pointer but a serial number looked up in this table: a warning that comes
 * after the message was finalized finds nothing and is dropped. */
static GMutex issues_lock;
static GHashTable *issues_by_serial; /* serial -> CachetMimeIssues, under issues_lock */
static guint last_serial;            /* under issues_lock */

static gpointer
init_once (gpointer data)
{
  g_mime_init ();
  /* After g_mime_init(), which registers GMime's own S/MIME backend. */
  cachet_smime_context_register ();
  issues_by_serial = g_hash_table_new (NULL, NULL);

  return NULL;
}

/**
 * cachet_mime_init:
 *
 * Initialises GMime. Safe to call from any thread, any number of times; every
 * function of this module calls it, so callers need not.
 */
void
cachet_mime_init (void)
{
  static GOnce once = G_ONCE_INIT;

  g_once (&once, init_once, NULL);
}

static GQuark
issues_serial_quark (void)
{
  return g_quark_from_static_string ("cachet-mime-issues-serial");
}

static guint
issues_register (void)
{
  guint serial;

  g_mutex_lock (&issues_lock);
  do
    serial = ++last_serial;
  while (serial == 0 || g_hash_table_contains (issues_by_serial, GUINT_TO_POINTER (serial)));
  g_hash_table_insert (issues_by_serial, GUINT_TO_POINTER (serial),
                       GUINT_TO_POINTER (CACHET_MIME_ISSUE_NONE));
  g_mutex_unlock (&issues_lock);

  return serial;
}

static void
issues_forget (gpointer serial)
{
  g_mutex_lock (&issues_lock);
  g_hash_table_remove (issues_by_serial, serial);
  g_mutex_unlock (&issues_lock);
}

static void
issues_record (guint            serial,
               CachetMimeIssues issue)
{
  gpointer value;

  g_mutex_lock (&issues_lock);
  if (g_hash_table_lookup_extended (issues_by_serial, GUINT_TO_POINTER (serial), NULL, &value))
    g_hash_table_insert (issues_by_serial, GUINT_TO_POINTER (serial),
                         GUINT_TO_POINTER (GPOINTER_TO_UINT (value) | issue));
  g_mutex_unlock (&issues_lock);
}

static CachetMimeIssues
issue_from_warning (GMimeParserWarning warning)
{
  switch (warning)
    {
    case GMIME_CRIT_INVALID_HEADER_NAME:
      return CACHET_MIME_ISSUE_INVALID_HEADER_NAME;
    case GMIME_CRIT_CONFLICTING_HEADER:
      return CACHET_MIME_ISSUE_CONFLICTING_HEADER;
    case GMIME_CRIT_CONFLICTING_PARAMETER:
      return CACHET_MIME_ISSUE_CONFLICTING_PARAMETER;
    case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY:
      return CACHET_MIME_ISSUE_MULTIPART_WITHOUT_BOUNDARY;
    case GMIME_CRIT_NESTING_OVERFLOW:
      return CACHET_MIME_ISSUE_NESTING_OVERFLOW;
    case GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT:
      return CACHET_MIME_ISSUE_PART_WITHOUT_HEADERS_OR_CONTENT;
    case GMIME_WARN_INVALID_ADDRESS_LIST:
      return CACHET_MIME_ISSUE_INVALID_ADDRESS_LIST;

    /* Sloppy but unambiguous: every reader ends up with the same message. */
    case GMIME_WARN_DUPLICATED_HEADER:
    case GMIME_WARN_DUPLICATED_PARAMETER:
    case GMIME_WARN_UNENCODED_8BIT_HEADER:
    case GMIME_WARN_INVALID_CONTENT_TYPE:
    case GMIME_WARN_INVALID_RFC2047_HEADER_VALUE:
    case GMIME_WARN_MALFORMED_MULTIPART:
    case GMIME_WARN_TRUNCATED_MESSAGE:
    case GMIME_WARN_MALFORMED_MESSAGE:
    case GMIME_WARN_INVALID_PARAMETER:
    case GMIME_WARN_PART_WITHOUT_CONTENT:
    default:
      return CACHET_MIME_ISSUE_NONE;
    }
}

static void
on_parser_warning (gint64             offset,
                   GMimeParserWarning warning,
                   const char        *item,
                   gpointer           user_data)
{
  /* @item is message content: it is never logged. */
  CachetMimeIssues issue = issue_from_warning (warning);

  if (issue != CACHET_MIME_ISSUE_NONE)
    issues_record (GPOINTER_TO_UINT (user_data), issue);
}

/* GMime stops reading a header value at a NUL, other software does not: the
 * same bytes can then show two different senders. */
static gboolean
header_block_has_nul (const guint8 *data,
                      gsize         size)
{
  for (gsize i = 0; i < size; i++)
    {
      if (data[i] == '\0')
        return TRUE;
      if (data[i] == '\n' && i + 1 < size &&
          (data[i + 1] == '\n' || (data[i + 1] == '\r' && i + 2 < size && data[i + 2] == '\n')))
        return FALSE;
    }

  return FALSE;
}

/**
 * cachet_mime_parse_message:
 * @raw: the message, as received.
 * @error: return location for a #CACHET_MIME_ERROR
 *
 * Parses @raw with a private copy of GMime's parser options (the global
 * defaults are never changed) and records what the parser finds suspicious;
 * see cachet_mime_message_get_issues(). GMime bounds its own recursion; walk
 * the result with cachet_mime_walk(), never recursively.
 *
 * The message holds a copy of @raw. Like every GMime object it may be handed
 * from one thread to another but not used by two at once.
 *
 * Returns: (transfer full): the message, or %NULL if @raw holds nothing that
 *   can be read as one.
 */
GMimeMessage *
cachet_mime_parse_message (GBytes  *raw,
                           GError **error)
{
  static const char *fallback_charsets[] = { "UTF-8", "windows-1252", NULL };
  g_autoptr(GMimeParserOptions) options = NULL;
  g_autoptr(GMimeStream) stream = NULL;
  g_autoptr(GMimeParser) parser = NULL;
  g_autoptr(GMimeMessage) message = NULL;
  const guint8 *data;
  gsize size;
  guint serial;

  g_return_val_if_fail (raw != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  cachet_mime_init ();

  data = g_bytes_get_data (raw, &size);
  if (size == 0)
    {
      g_set_error_literal (error, CACHET_MIME_ERROR, CACHET_MIME_ERROR_INVALID,
                           _("The message is empty"));
      return NULL;
    }

  serial = issues_register ();

  options = g_mime_parser_options_clone (g_mime_parser_options_get_default ());
  /* French mail without a declared charset is nearly always Windows-1252
   * (a superset of Latin-1 for printable text). */
  g_mime_parser_options_set_fallback_charsets (options, fallback_charsets);
  g_mime_parser_options_set_warning_callback (options, on_parser_warning,
                                              GUINT_TO_POINTER (serial));

  stream = g_mime_stream_mem_new_with_buffer ((const char *) data, size);
  parser = g_mime_parser_new_with_stream (stream);
  g_mime_parser_set_format (parser, GMIME_FORMAT_MESSAGE);
  message = g_mime_parser_construct_message (parser, options);

  if (message == NULL ||
      (g_mime_header_list_get_count (g_mime_object_get_header_list (GMIME_OBJECT (message))) == 0 &&
       g_mime_message_get_mime_part (message) == NULL))
    {
      issues_forget (GUINT_TO_POINTER (serial));
      g_set_error_literal (error, CACHET_MIME_ERROR, CACHET_MIME_ERROR_INVALID,
                           _("The data is not a mail message"));
      return NULL;
    }

  g_object_set_qdata_full (G_OBJECT (message), issues_serial_quark (),
                           GUINT_TO_POINTER (serial), issues_forget);

  if (header_block_has_nul (data, size))
    issues_record (serial, CACHET_MIME_ISSUE_NUL_IN_HEADERS);

  return g_steal_pointer (&message);
}

/**
 * cachet_mime_message_get_issues:
 * @message: a message from cachet_mime_parse_message()
 *
 * Gets what the parser found suspicious in @message: any of them means the
 * message may be read differently by other software.
 *
 * Returns: the issues, %CACHET_MIME_ISSUE_NONE for a clean message or one
 *   that was not parsed by cachet_mime_parse_message().
 */
CachetMimeIssues
cachet_mime_message_get_issues (GMimeMessage *message)
{
  gpointer serial;
  CachetMimeIssues issues;

  g_return_val_if_fail (GMIME_IS_MESSAGE (message), CACHET_MIME_ISSUE_NONE);

  serial = g_object_get_qdata (G_OBJECT (message), issues_serial_quark ());
  if (serial == NULL)
    return CACHET_MIME_ISSUE_NONE;

  g_mutex_lock (&issues_lock);
  issues = GPOINTER_TO_UINT (g_hash_table_lookup (issues_by_serial, serial));
  g_mutex_unlock (&issues_lock);

  return issues;
}

typedef struct
{
  GMimeObject *part;
  GMimeObject *parent;
  guint        index;
  guint        depth;
} WalkFrame;

/* Children are pushed last first so that they pop in document order. The
 * stack never holds more than (depth limit + 1) * (part limit + 1) frames: at
 * most one more child per level than can still be visited, which is enough to
 * notice that the part limit was reached. */
static CachetMimeIssues
push_children (GArray          *stack,
               const WalkFrame *frame,
               guint            remaining)
{
  GMimeObject *only_child = NULL;
  guint count = 0;

  if (GMIME_IS_MULTIPART (frame->part))
    {
      count = (guint) MAX (0, g_mime_multipart_get_count (GMIME_MULTIPART (frame->part)));
    }
  else if (GMIME_IS_MESSAGE_PART (frame->part))
    {
      GMimeMessage *embedded = g_mime_message_part_get_message (GMIME_MESSAGE_PART (frame->part));

      if (embedded != NULL)
        only_child = g_mime_message_get_mime_part (embedded);
      count = only_child != NULL ? 1 : 0;
    }

  if (count == 0)
    return CACHET_MIME_ISSUE_NONE;
  if (frame->depth >= CACHET_MIME_MAX_DEPTH)
    return CACHET_MIME_ISSUE_TOO_DEEP;

  count = MIN (count, remaining + 1);
  for (guint i = count; i > 0; i--)
    {
      WalkFrame child = {
        .part = only_child,
        .parent = frame->part,
        .index = i - 1,
        .depth = frame->depth + 1,
      };

      if (child.part == NULL)
        child.part = g_mime_multipart_get_part (GMIME_MULTIPART (frame->part), (int) (i - 1));
      if (child.part != NULL)
        g_array_append_val (stack, child);
    }

  return CACHET_MIME_ISSUE_NONE;
}

/**
 * cachet_mime_walk:
 * @root: the part to start from, usually g_mime_message_get_mime_part()
 * @func: (scope call): called for each part
 * @user_data: data for @func
 *
 * Visits @root and its descendants, parents first, in document order,
 * descending into multiparts and into attached messages (message/rfc822). The
 * walk is iterative and bounded: no deeper than %CACHET_MIME_MAX_DEPTH, no
 * more than %CACHET_MIME_MAX_PARTS parts, whatever the message.
 *
 * Returns: %CACHET_MIME_ISSUE_TOO_DEEP and/or
 *   %CACHET_MIME_ISSUE_TOO_MANY_PARTS if parts were left out, otherwise
 *   %CACHET_MIME_ISSUE_NONE.
 */
CachetMimeIssues
cachet_mime_walk (GMimeObject        *root,
                  CachetMimeWalkFunc  func,
                  gpointer            user_data)
{
  g_autoptr(GArray) stack = NULL;
  CachetMimeIssues issues = CACHET_MIME_ISSUE_NONE;
  WalkFrame first = { root, NULL, 0, 0 };
  guint visited = 0;

  g_return_val_if_fail (GMIME_IS_OBJECT (root), CACHET_MIME_ISSUE_NONE);
  g_return_val_if_fail (func != NULL, CACHET_MIME_ISSUE_NONE);

  stack = g_array_new (FALSE, FALSE, sizeof (WalkFrame));
  g_array_append_val (stack, first);

  while (stack->len > 0)
    {
      WalkFrame frame = g_array_index (stack, WalkFrame, stack->len - 1);

      g_array_set_size (stack, stack->len - 1);

      if (visited == CACHET_MIME_MAX_PARTS)
        {
          issues |= CACHET_MIME_ISSUE_TOO_MANY_PARTS;
          break;
        }
      visited++;

      switch (func (frame.part, frame.parent, frame.index, frame.depth, user_data))
        {
        case CACHET_MIME_WALK_CONTINUE:
          issues |= push_children (stack, &frame, CACHET_MIME_MAX_PARTS - visited);
          break;
        case CACHET_MIME_WALK_SKIP_CHILDREN:
          break;
        case CACHET_MIME_WALK_STOP:
        default:
          return issues;
        }
    }

  return issues;
}

typedef struct
{
  guint        wanted;
  guint        visited;
  GMimeObject *found;
} PartSearch;

static CachetMimeWalkAction
find_part_cb (GMimeObject *part,
              GMimeObject *parent,
              guint        index,
              guint        depth,
              gpointer     user_data)
{
  PartSearch *search = user_data;

  if (search->visited++ == search->wanted)
    {
      search->found = part;
      return CACHET_MIME_WALK_STOP;
    }
  return CACHET_MIME_WALK_CONTINUE;
}

/**
 * cachet_mime_find_part:
 * @root: (nullable): the part a walk starts from
 * @index: a part's position in the order cachet_mime_walk() visits them
 *
 * Returns: (transfer none) (nullable): the part at @index, if there is one
 */
GMimeObject *
cachet_mime_find_part (GMimeObject *root,
                       guint        index)
{
  PartSearch search = { .wanted = index };

  if (root != NULL)
    cachet_mime_walk (root, find_part_cb, &search);
  return search.found;
}

/**
 * cachet_mime_guess_content_type:
 * @file_name: the name of a file to attach
 * @data: its content
 *
 * Returns: (transfer full): the MIME type of the file, from its name and
 *   content, "application/octet-stream" when unknown
 */
char *
cachet_mime_guess_content_type (const char *file_name,
                                GBytes     *data)
{
  g_autofree char *guessed = g_content_type_guess (file_name, g_bytes_get_data (data, NULL),
                                                   g_bytes_get_size (data), NULL);
  char *mime_type = g_content_type_get_mime_type (guessed);

  return mime_type != NULL ? mime_type : g_strdup ("application/octet-stream");
}
