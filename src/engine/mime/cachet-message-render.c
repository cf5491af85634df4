/* cachet-message-render.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cachet-message-render.h"
#include "cachet-mime-text-private.h"

/* Header values are bounded like the summary's, so that a hostile header
 * cannot blow up a label. */
#define MAX_SUBJECT_BYTES       2048
#define MAX_FROM                10
#define MAX_ADDRESSES           500
#define MAX_CONTENT_TYPE_BYTES  127
/* A file name extension kept whole when a long name is cut. */
#define MAX_EXTENSION_BYTES     16
/* Inline images are held in memory while the message is shown. */
#define MAX_INLINE_PART_BYTES   (16 * 1024 * 1024)
#define MAX_INLINE_TOTAL_BYTES  (64 * 1024 * 1024)
/* How far into an HTML part a <meta charset> is looked for (as browsers do). */
#define CHARSET_SNIFF_BYTES     1024
#define MAX_LINK_BYTES          8192

static const char ellipsis[] = "\xe2\x80\xa6";

/**
 * cachet_message_render_safe_file_name:
 * @name: (nullable): a file name as a message gives it
 *
 * Makes @name safe to show and to use as the last component of a path: valid
 * UTF-8; no directory part; no control or format character, so that no
 * bidirectional override can disguise the extension; none of the characters
 * Windows file systems refuse (a practice's network share may be one); no
 * leading or trailing dot or space; not a Windows device name; at most
 * %CACHET_MESSAGE_RENDER_MAX_FILE_NAME bytes, cut in the middle so that the
 * extension stays visible.
 *
 * Returns: (transfer full) (nullable): the safe name, or %NULL if nothing of
 *   @name is left.
 */
char *
cachet_message_render_safe_file_name (const char *name)
{
  static const char *device_names[] = {
    "CON", "PRN", "AUX", "NUL",
    "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
    "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
  };
  g_autofree char *valid = NULL;
  g_autoptr(GString) safe = NULL;
  const char *base;
  const char *dot;
  gsize stem_length;
  gboolean pending_space = FALSE;

  if (name == NULL)
    return NULL;

  /* Blanks and invisible characters do not count: read more than the output
   * may hold, but not the whole of a hostile megabyte. */
  valid = g_utf8_make_valid (name, (gssize) MIN (strlen (name), 16 * CACHET_MESSAGE_RENDER_MAX_FILE_NAME));
  base = valid;
  for (const char *p = valid; *p != '\0'; p++)
    {
      if (*p == '/' || *p == '\\')
        base = p + 1;
    }

  safe = g_string_sized_new (strlen (base) + 1);
  for (const char *p = base; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = _cachet_mime_text_unmask_c1 (g_utf8_get_char (p));

      if (g_unichar_isspace (c))
        {
          pending_space = TRUE;
          continue;
        }
      if (_cachet_mime_text_is_invisible (c))
        continue;
      if (pending_space && safe->len > 0)
        g_string_append_c (safe, ' ');
      pending_space = FALSE;
      if (c != 0 && c < 0x80 && strchr ("<>:\"|?*", (char) c) != NULL)
        g_string_append_c (safe, '_');
      else
        g_string_append_unichar (safe, c);
    }

  /* A leading dot hides a file; trailing dots and spaces are dropped by
   * Windows, which would then open a different name than the one shown. */
  while (safe->len > 0 && (safe->str[0] == '.' || safe->str[0] == ' '))
    g_string_erase (safe, 0, 1);
  while (safe->len > 0 && (safe->str[safe->len - 1] == '.' || safe->str[safe->len - 1] == ' '))
    g_string_truncate (safe, safe->len - 1);
  if (safe->len == 0)
    return NULL;

  dot = strchr (safe->str, '.');
  stem_length = dot != NULL ? (gsize) (dot - safe->str) : safe->len;
  for (gsize i = 0; i < G_N_ELEMENTS (device_names); i++)
    {
      if (stem_length == strlen (device_names[i]) &&
          g_ascii_strncasecmp (safe->str, device_names[i], stem_length) == 0)
        {
          g_string_prepend_c (safe, '_');
          break;
        }
    }

  if (safe->len > CACHET_MESSAGE_RENDER_MAX_FILE_NAME)
    {
      const char *extension = strrchr (safe->str, '.');
      g_autofree char *kept_extension = NULL;

      if (extension != NULL && strlen (extension) <= MAX_EXTENSION_BYTES)
        kept_extension = g_strdup (extension);
      else
        kept_extension = g_strdup ("");
      _cachet_mime_text_truncate_utf8 (safe, CACHET_MESSAGE_RENDER_MAX_FILE_NAME - strlen (kept_extension) - strlen (ellipsis));
      g_string_append (safe, ellipsis);
      g_string_append (safe, kept_extension);
    }

  return g_string_free (g_steal_pointer (&safe), FALSE);
}

/**
 * cachet_message_render_link_can_open:
 * @uri: (nullable): the target of a link in a message
 *
 * Whether a link the user clicked in a message may be handed to the desktop
 * (a web browser or a mail composer): only http and https URLs with a host,
 * and mailto URLs, without blanks or control characters. Everything else
 * (file:, data:, javascript:, custom handlers that start programs) stays
 * closed.
 *
 * Returns: %TRUE if @uri may be opened outside Cachet.
 */
gboolean
cachet_message_render_link_can_open (const char *uri)
{
  const char *scheme;
  gsize length;

  if (uri == NULL)
    return FALSE;
  length = strnlen (uri, MAX_LINK_BYTES + 1);
  if (length == 0 || length > MAX_LINK_BYTES)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    {
      if ((guchar) uri[i] <= 0x20 || (guchar) uri[i] >= 0x7f)
        return FALSE;
    }

  /* Interned and in lower case. */
  scheme = g_uri_peek_scheme (uri);
  if (scheme == NULL)
    return FALSE;
  if (g_str_equal (scheme, "http") || g_str_equal (scheme, "https"))
    {
      g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);

      return parsed != NULL && g_uri_get_host (parsed) != NULL && *g_uri_get_host (parsed) != '\0';
    }
  return g_str_equal (scheme, "mailto");
}

/* What an attachment holds for the user: the decoded content of a leaf
 * part, or the serialized attached message or protected multipart. */
static gboolean
write_attachment (GMimeObject *object,
                  GMimeStream *stream)
{
  if (GMIME_IS_PART (object))
    {
      GMimeDataWrapper *content = g_mime_part_get_content (GMIME_PART (object));

      return content == NULL || g_mime_data_wrapper_write_to_stream (content, stream) >= 0;
    }
  if (GMIME_IS_MESSAGE_PART (object))
    {
      GMimeMessage *message = g_mime_message_part_get_message (GMIME_MESSAGE_PART (object));

      return message == NULL || g_mime_object_write_to_stream (GMIME_OBJECT (message), NULL, stream) >= 0;
    }
  return g_mime_object_write_to_stream (object, NULL, stream) >= 0;
}

/* The size of what write_attachment() writes. Linear in the size of the
 * part. */
static guint64
decoded_size (GMimeObject *object)
{
  g_autoptr(GMimeStream) counter = g_mime_stream_null_new ();

  write_attachment (object, counter);
  return GMIME_STREAM_NULL (counter)->written;
}

/* The charset an HTML document declares in its first bytes, as in
 * <meta charset="…"> or <meta http-equiv="Content-Type" content="…; charset=…">. */
static char *
sniff_html_charset (const guint8 *data,
                    gsize         length)
{
  static const char needle[] = "charset=";
  gsize limit = MIN (length, CHARSET_SNIFF_BYTES);

  for (gsize i = 0; i + strlen (needle) < limit; i++)
    {
      gsize start;
      gsize end;

      if (g_ascii_strncasecmp ((const char *) data + i, needle, strlen (needle)) != 0)
        continue;
      start = i + strlen (needle);
      if (start < limit && (data[start] == '"' || data[start] == '\''))
        start++;
      end = start;
      while (end < limit && end - start < 40 &&
             (g_ascii_isalnum (data[end]) || (data[end] != '\0' && strchr ("-_.:", data[end]) != NULL)))
        end++;
      if (end > start)
        return g_strndup ((const char *) data + start, end - start);
      return NULL;
    }

  return NULL;
}

/* Plain text keeps its lines and tabs; other controls go, and a NUL could not
 * be shown anyway. */
static char *
clean_text_body (const char *text)
{
  g_autoptr(GString) body = g_string_sized_new (strlen (text) + 1);

  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c == '\r')
        {
          g_string_append_c (body, '\n');
          if (p[1] == '\n')
            p++;
        }
      else if (c == '\n' || c == '\t' || (c >= 0x20 && c != 0x7f))
        {
          g_string_append_c (body, (char) c);
        }
    }

  return g_string_free (g_steal_pointer (&body), FALSE);
}

static gboolean
content_type_is (GMimeObject *object,
                 const char  *type,
                 const char  *subtype)
{
  GMimeContentType *content_type = g_mime_object_get_content_type (object);

  return content_type != NULL && g_mime_content_type_is_type (content_type, type, subtype);
}

/* "type/subtype" in lower case, with nothing but token characters. */
static char *
content_type_string (GMimeObject *object)
{
  GMimeContentType *content_type = g_mime_object_get_content_type (object);
  const char *type = content_type != NULL ? g_mime_content_type_get_media_type (content_type) : NULL;
  const char *subtype = content_type != NULL ? g_mime_content_type_get_media_subtype (content_type) : NULL;
  g_autoptr(GString) out = g_string_new (NULL);

  if (type == NULL || subtype == NULL || *type == '\0' || *subtype == '\0')
    return g_strdup ("application/octet-stream");

  g_string_append_printf (out, "%s/%s", type, subtype);
  for (gsize i = 0; i < out->len; i++)
    {
      char c = g_ascii_tolower (out->str[i]);

      out->str[i] = (g_ascii_isalnum (c) || (c != '\0' && strchr ("/!#$&^_.+-", c) != NULL)) ? c : '_';
    }
  if (out->len > MAX_CONTENT_TYPE_BYTES)
    g_string_truncate (out, MAX_CONTENT_TYPE_BYTES);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
is_pkcs7_mime (GMimeObject *object)
{
  return content_type_is (object, "application", "pkcs7-mime") ||
         content_type_is (object, "application", "x-pkcs7-mime");
}

static gboolean
is_protected (GMimeObject *object)
{
  return is_pkcs7_mime (object) || content_type_is (object, "multipart", "encrypted");
}

static gboolean
is_signature (GMimeObject *object)
{
  return content_type_is (object, "application", "pkcs7-signature") ||
         content_type_is (object, "application", "x-pkcs7-signature") ||
         content_type_is (object, "application", "pgp-signature");
}

static gboolean
is_attachment_part (GMimeObject *object)
{
  GMimeContentDisposition *disposition = g_mime_object_get_content_disposition (object);

  return (disposition != NULL && g_mime_content_disposition_is_attachment (disposition)) ||
         (GMIME_IS_PART (object) && g_mime_part_get_filename (GMIME_PART (object)) != NULL);
}

/* A text part that can be the body: not an attachment. */
static CachetMessageBodyKind
displayable_kind (GMimeObject *object)
{
  if (!GMIME_IS_PART (object) || is_attachment_part (object))
    return CACHET_MESSAGE_BODY_NONE;
  if (content_type_is (object, "text", "html"))
    return CACHET_MESSAGE_BODY_HTML;
  if (content_type_is (object, "text", "plain"))
    return CACHET_MESSAGE_BODY_TEXT;
  return CACHET_MESSAGE_BODY_NONE;
}

typedef struct
{
  GMimeObject *part;
  int          parent;
  guint        depth;
  /* Inside an attached message or protected content: not this message's
   * body, attachments or images. */
  gboolean     opaque;
  /* An alternative representation that is not the one shown. */
  gboolean     suppressed;
  gboolean     served_inline;
} Node;

typedef struct
{
  GArray      *nodes;
  GHashTable  *index_of_part; /* GMimeObject -> node index */
  GMimeObject *protected_root;
} Tree;

static CachetMimeWalkAction
collect_node (GMimeObject *part,
              GMimeObject *parent,
              guint        index,
              guint        depth,
              gpointer     user_data)
{
  Tree *tree = user_data;
  Node node = { .part = part, .parent = -1, .depth = depth };
  gpointer parent_index;

  if (parent != NULL &&
      g_hash_table_lookup_extended (tree->index_of_part, parent, NULL, &parent_index))
    {
      const Node *up = &g_array_index (tree->nodes, Node, GPOINTER_TO_INT (parent_index));

      node.parent = GPOINTER_TO_INT (parent_index);
      node.opaque = up->opaque || GMIME_IS_MESSAGE_PART (up->part) || is_protected (up->part);
    }

  g_hash_table_insert (tree->index_of_part, part, GINT_TO_POINTER ((int) tree->nodes->len));
  g_array_append_val (tree->nodes, node);

  /* Descend everywhere, so that node numbers are the plain walk order that
   * CachetMessageAttachment:part_index promises. */
  return CACHET_MIME_WALK_CONTINUE;
}

static Node *
node_at (Tree *tree,
         int   index)
{
  return &g_array_index (tree->nodes, Node, index);
}

/* In a walk in document order, parents first, a subtree is the run of nodes
 * after its root that are deeper than it. */
static guint
subtree_end (Tree *tree,
             guint root)
{
  guint end = root + 1;

  while (end < tree->nodes->len && node_at (tree, (int) end)->depth > node_at (tree, (int) root)->depth)
    end++;
  return end;
}

/* The first HTML part of a subtree, else its first plain text part. */
static int
best_in_subtree (Tree                  *tree,
                 guint                  root,
                 CachetMessageBodyKind *kind)
{
  guint end = subtree_end (tree, root);
  int text = -1;

  for (guint i = root; i < end; i++)
    {
      Node *node = node_at (tree, (int) i);

      if (node->opaque)
        continue;
      switch (displayable_kind (node->part))
        {
        case CACHET_MESSAGE_BODY_HTML:
          *kind = CACHET_MESSAGE_BODY_HTML;
          return (int) i;
        case CACHET_MESSAGE_BODY_TEXT:
          if (text < 0)
            text = (int) i;
          break;
        case CACHET_MESSAGE_BODY_NONE:
        case CACHET_MESSAGE_BODY_PROTECTED:
        default:
          break;
        }
    }

  *kind = text >= 0 ? CACHET_MESSAGE_BODY_TEXT : CACHET_MESSAGE_BODY_NONE;
  return text;
}

/* RFC 2046: the last alternative is the richest; HTML wins over plain text.
 * The other alternatives are the same message again and are not shown. */
static int
choose_alternative (Tree                  *tree,
                    guint                  alternative,
                    CachetMessageBodyKind *kind)
{
  guint end = subtree_end (tree, alternative);
  int html = -1, html_branch = -1, text = -1, text_branch = -1;
  int chosen, chosen_branch;

  for (guint i = alternative + 1; i < end; i++)
    {
      CachetMessageBodyKind branch_kind;
      int best;

      if (node_at (tree, (int) i)->parent != (int) alternative)
        continue;
      best = best_in_subtree (tree, i, &branch_kind);
      if (branch_kind == CACHET_MESSAGE_BODY_HTML)
        {
          html = best;
          html_branch = (int) i;
        }
      else if (branch_kind == CACHET_MESSAGE_BODY_TEXT && text < 0)
        {
          text = best;
          text_branch = (int) i;
        }
    }

  chosen = html >= 0 ? html : text;
  chosen_branch = html >= 0 ? html_branch : text_branch;
  *kind = html >= 0 ? CACHET_MESSAGE_BODY_HTML : text >= 0 ? CACHET_MESSAGE_BODY_TEXT
                                                           : CACHET_MESSAGE_BODY_NONE;
  if (chosen < 0)
    return -1;

  for (guint i = alternative + 1; i < end; i++)
    {
      if (node_at (tree, (int) i)->parent == (int) alternative && (int) i != chosen_branch)
        {
          guint branch_end = subtree_end (tree, i);

          for (guint j = i; j < branch_end; j++)
            node_at (tree, (int) j)->suppressed = TRUE;
        }
    }

  return chosen;
}

static char *
read_body (GMimePart             *part,
           CachetMessageBodyKind  kind,
           gboolean              *truncated)
{
  g_autoptr(GByteArray) bytes = _cachet_mime_text_read_decoded_content (part, CACHET_MESSAGE_RENDER_MAX_BODY, truncated);
  g_autofree char *sniffed = NULL;
  g_autofree char *utf8 = NULL;
  const char *charset = g_mime_object_get_content_type_parameter (GMIME_OBJECT (part), "charset");
  g_autoptr(GString) body = NULL;

  if (charset == NULL && kind == CACHET_MESSAGE_BODY_HTML)
    charset = sniffed = sniff_html_charset (bytes->data, bytes->len);

  /* No NUL survives the conversion: the body is a C string from here on. */
  utf8 = _cachet_mime_text_to_utf8 (bytes, charset, TRUE);
  if (kind == CACHET_MESSAGE_BODY_TEXT)
    {
      g_autofree char *clean = clean_text_body (utf8);

      body = g_string_new (clean);
    }
  else
    {
      body = g_string_new (utf8);
    }
  /* Conversion may have grown it past the limit. */
  if (body->len > CACHET_MESSAGE_RENDER_MAX_BODY)
    {
      _cachet_mime_text_truncate_utf8 (body, CACHET_MESSAGE_RENDER_MAX_BODY);
      *truncated = TRUE;
    }

  return g_string_free (g_steal_pointer (&body), FALSE);
}

static void
inline_part_free (CachetMessageInlinePart *part)
{
  g_free (part->content_id);
  g_free (part->content_type);
  g_clear_pointer (&part->data, g_bytes_unref);
  g_free (part);
}

/**
 * cachet_message_attachment_copy:
 *
 * Returns: (transfer full): a copy of @attachment
 */
CachetMessageAttachment *
cachet_message_attachment_copy (const CachetMessageAttachment *attachment)
{
  CachetMessageAttachment *copy = g_memdup2 (attachment, sizeof *attachment);

  copy->file_name = g_strdup (attachment->file_name);
  copy->content_type = g_strdup (attachment->content_type);

  return copy;
}

void
cachet_message_attachment_free (CachetMessageAttachment *attachment)
{
  g_free (attachment->file_name);
  g_free (attachment->content_type);
  g_free (attachment);
}

static GBytes *
decode_whole (GMimePart *part)
{
  GMimeDataWrapper *content = g_mime_part_get_content (part);
  g_autoptr(GMimeStream) memory = NULL;
  GByteArray *array;

  if (content == NULL)
    return NULL;

  memory = g_mime_stream_mem_new ();
  if (g_mime_data_wrapper_write_to_stream (content, memory) < 0)
    return NULL;
  /* The stream owns the array unless told otherwise. */
  g_mime_stream_mem_set_owner (GMIME_STREAM_MEM (memory), FALSE);
  array = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (memory));

  return g_byte_array_free_to_bytes (array);
}

/* The images of the multipart/related that holds the body. Images of any
 * other part are never reachable by cid:, so that one part of a message
 * cannot pull in the content of a sibling (EFAIL, "Johnny" M3). */
static void
collect_inline_parts (Tree                *tree,
                      int                  body,
                      CachetMessageRender *render)
{
  int related = node_at (tree, body)->parent;
  guint64 total = 0;
  guint end;

  while (related >= 0 && !content_type_is (node_at (tree, related)->part, "multipart", "related"))
    related = node_at (tree, related)->parent;
  if (related < 0)
    return;

  end = subtree_end (tree, (guint) related);
  for (guint i = (guint) related + 1; i < end; i++)
    {
      Node *node = node_at (tree, (int) i);
      GMimeDataWrapper *content;
      GMimeStream *stream;
      const char *content_id;
      CachetMessageInlinePart *inline_part;
      GBytes *data;

      if ((int) i == body || node->opaque || node->suppressed || !GMIME_IS_PART (node->part) ||
          !content_type_is (node->part, "image", "*"))
        continue;
      content_id = g_mime_object_get_content_id (node->part);
      if (content_id == NULL || *content_id == '\0')
        continue;

      /* The encoded size bounds the decoded one. */
      content = g_mime_part_get_content (GMIME_PART (node->part));
      stream = content != NULL ? g_mime_data_wrapper_get_stream (content) : NULL;
      if (stream == NULL || g_mime_stream_length (stream) < 0 ||
          g_mime_stream_length (stream) > MAX_INLINE_PART_BYTES ||
          total + (guint64) g_mime_stream_length (stream) > MAX_INLINE_TOTAL_BYTES)
        continue;

      data = decode_whole (GMIME_PART (node->part));
      if (data == NULL)
        continue;
      total += g_bytes_get_size (data);

      inline_part = g_new0 (CachetMessageInlinePart, 1);
      inline_part->content_id = g_strdup (content_id);
      inline_part->content_type = content_type_string (node->part);
      inline_part->data = data;
      g_ptr_array_add (render->inline_parts, inline_part);
      node->served_inline = TRUE;
    }
}

static char *
attachment_name (GMimeObject *object)
{
  const char *name = NULL;

  if (GMIME_IS_PART (object))
    return cachet_message_render_safe_file_name (g_mime_part_get_filename (GMIME_PART (object)));

  name = g_mime_object_get_content_disposition_parameter (object, "filename");
  if (name == NULL)
    name = g_mime_object_get_content_type_parameter (object, "name");
  if (name == NULL && GMIME_IS_MESSAGE_PART (object))
    {
      GMimeMessage *message = g_mime_message_part_get_message (GMIME_MESSAGE_PART (object));
      g_autofree char *subject = message != NULL
                                 ? _cachet_mime_text_clean_line (g_mime_message_get_subject (message), MAX_SUBJECT_BYTES)
                                 : NULL;
      g_autofree char *file_name = subject != NULL ? g_strconcat (subject, ".eml", NULL) : NULL;

      return cachet_message_render_safe_file_name (file_name);
    }

  return cachet_message_render_safe_file_name (name);
}

static void
collect_attachments (Tree                *tree,
                     int                  body,
                     CachetMessageRender *render)
{
  for (guint i = 0; i < tree->nodes->len; i++)
    {
      Node *node = node_at (tree, (int) i);
      CachetMessageAttachment *attachment;

      if ((int) i == body || node->opaque || node->suppressed || node->part == tree->protected_root)
        continue;
      if (node->served_inline && !is_attachment_part (node->part))
        continue;
      if (node->parent >= 0 && is_signature (node->part) &&
          content_type_is (node_at (tree, node->parent)->part, "multipart", "signed"))
        continue;
      /* Containers are not attachments, but an attached message and a blob of
       * protected content are, whole. */
      if (GMIME_IS_MULTIPART (node->part) && !is_protected (node->part))
        continue;
      if (!GMIME_IS_PART (node->part) && !GMIME_IS_MESSAGE_PART (node->part) &&
          !is_protected (node->part))
        continue;

      attachment = g_new0 (CachetMessageAttachment, 1);
      attachment->file_name = attachment_name (node->part);
      attachment->content_type = content_type_string (node->part);
      attachment->size = decoded_size (node->part);
      attachment->part_index = i;

      /* An empty part without a name is parser debris, not something sent. */
      if (attachment->file_name == NULL && attachment->size == 0)
        {
          cachet_message_attachment_free (attachment);
          continue;
        }
      g_ptr_array_add (render->attachments, attachment);
    }
}

/* Only the root counts (or the content of a signed root): S/MIME deeper in
 * the tree is an attachment, never the protection of the message. */
static GMimeObject *
protected_root (GMimeObject *root)
{
  GMimeObject *content = root;

  if (content_type_is (root, "multipart", "signed"))
    {
      if (!GMIME_IS_MULTIPART (root) || g_mime_multipart_get_count (GMIME_MULTIPART (root)) == 0)
        return NULL;
      content = g_mime_multipart_get_part (GMIME_MULTIPART (root), 0);
    }

  return is_protected (content) ? content : NULL;
}

static CachetMessageRender *
render_new (void)
{
  CachetMessageRender *render = g_new0 (CachetMessageRender, 1);

  render->from = g_ptr_array_new_with_free_func ((GDestroyNotify) cachet_message_address_free);
  render->to = g_ptr_array_new_with_free_func ((GDestroyNotify) cachet_message_address_free);
  render->cc = g_ptr_array_new_with_free_func ((GDestroyNotify) cachet_message_address_free);
  render->inline_parts = g_ptr_array_new_with_free_func ((GDestroyNotify) inline_part_free);
  render->attachments = g_ptr_array_new_with_free_func ((GDestroyNotify) cachet_message_attachment_free);

  return render;
}

/* A multipart whose boundary never shows up keeps all its text as its
 * prologue: better shown than lost. */
static void
render_prologue (Tree                *tree,
                 CachetMessageRender *render)
{
  for (guint i = 0; i < tree->nodes->len; i++)
    {
      Node *node = node_at (tree, (int) i);
      const char *prologue;
      gsize length;
      g_autofree char *valid = NULL;

      if (node->opaque || !GMIME_IS_MULTIPART (node->part) ||
          g_mime_multipart_get_count (GMIME_MULTIPART (node->part)) > 0 ||
          (prologue = g_mime_multipart_get_prologue (GMIME_MULTIPART (node->part))) == NULL)
        continue;

      length = strlen (prologue);
      render->body_truncated = length > CACHET_MESSAGE_RENDER_MAX_BODY;
      valid = g_utf8_make_valid (prologue, (gssize) MIN (length, CACHET_MESSAGE_RENDER_MAX_BODY));
      render->body = clean_text_body (valid);
      render->body_kind = CACHET_MESSAGE_BODY_TEXT;
      return;
    }
}

static void
render_body (CachetMessageRender *render,
             GMimeObject         *root)
{
  Tree tree = { 0 };
  int body = -1;
  CachetMessageBodyKind kind = CACHET_MESSAGE_BODY_NONE;

  tree.nodes = g_array_new (FALSE, FALSE, sizeof (Node));
  tree.index_of_part = g_hash_table_new (NULL, NULL);
  tree.protected_root = protected_root (root);
  render->issues |= cachet_mime_walk (root, collect_node, &tree);

  /* Its content was marked opaque by the walk. */
  if (tree.protected_root != NULL)
    render->body_kind = CACHET_MESSAGE_BODY_PROTECTED;
  else
    {
      for (guint i = 0; i < tree.nodes->len && body < 0; i++)
        {
          Node *node = node_at (&tree, (int) i);

          if (node->opaque)
            continue;
          if (content_type_is (node->part, "multipart", "alternative"))
            body = choose_alternative (&tree, i, &kind);
          else if ((kind = displayable_kind (node->part)) != CACHET_MESSAGE_BODY_NONE)
            body = (int) i;
        }
    }

  if (body >= 0)
    {
      render->body_kind = kind;
      render->body = read_body (GMIME_PART (node_at (&tree, body)->part), kind, &render->body_truncated);
      if (kind == CACHET_MESSAGE_BODY_HTML)
        collect_inline_parts (&tree, body, render);
    }
  else if (render->body_kind == CACHET_MESSAGE_BODY_NONE)
    {
      render_prologue (&tree, render);
    }

  collect_attachments (&tree, body, render);

  g_hash_table_unref (tree.index_of_part);
  g_array_unref (tree.nodes);
}

/**
 * cachet_message_render_new_from_message:
 * @message: a message from cachet_mime_parse_message()
 *
 * Extracts what the message view shows of @message: headers, the one body
 * (the preferred alternative of the first text part that is not an
 * attachment: sibling parts are never joined into one document), the images
 * that body may reference, and the list of attachments. The work is bounded
 * by the size of the message and the limits of cachet_mime_walk(): call it
 * from a worker thread.
 *
 * Returns: (transfer full): the render.
 */
CachetMessageRender *
cachet_message_render_new_from_message (GMimeMessage *message)
{
  g_autoptr(CachetMessageRender) render = render_new ();
  GMimeObject *root;
  GDateTime *date;

  g_return_val_if_fail (GMIME_IS_MESSAGE (message), NULL);

  _cachet_mime_text_collect_addresses (g_mime_message_get_from (message), render->from, MAX_FROM);
  _cachet_mime_text_collect_addresses (g_mime_message_get_to (message), render->to, MAX_ADDRESSES);
  _cachet_mime_text_collect_addresses (g_mime_message_get_cc (message), render->cc, MAX_ADDRESSES);
  render->subject = _cachet_mime_text_clean_line (g_mime_message_get_subject (message), MAX_SUBJECT_BYTES);
  date = g_mime_message_get_date (message);
  render->date = date != NULL ? g_date_time_ref (date) : NULL;

  root = g_mime_message_get_mime_part (message);
  if (root != NULL)
    render_body (render, root);
  if (render->body == NULL)
    render->body = g_strdup ("");

  /* Read last: address and parameter parsing can add to them. */
  render->issues |= cachet_mime_message_get_issues (message);

  return g_steal_pointer (&render);
}

/**
 * cachet_message_render_new_from_bytes:
 * @raw: a message, as received
 * @error: return location for a #CACHET_MIME_ERROR
 *
 * Parses @raw and extracts its render; see
 * cachet_message_render_new_from_message(). Blocking: call it from a worker
 * thread.
 *
 * Returns: (transfer full): the render, or %NULL if @raw holds nothing that
 *   can be read as a message.
 */
CachetMessageRender *
cachet_message_render_new_from_bytes (GBytes  *raw,
                                      GError **error)
{
  g_autoptr(GMimeMessage) message = NULL;

  g_return_val_if_fail (raw != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  message = cachet_mime_parse_message (raw, error);
  if (message == NULL)
    return NULL;

  return cachet_message_render_new_from_message (message);
}

/**
 * cachet_message_render_extract_attachment:
 * @raw: the message a render was made from
 * @attachment: one of the render's attachments
 * @error: return location for a #CACHET_MIME_ERROR
 *
 * Reads the content of an attachment, as the user saves or opens it: decoded
 * for a file, whole for an attached message or protected data. Like making
 * the render, this parses the message: call it from a worker thread.
 *
 * Returns: (transfer full) (nullable): the content, %NULL if @raw is not the
 *   message of @attachment
 */
GBytes *
cachet_message_render_extract_attachment (GBytes                         *raw,
                                          const CachetMessageAttachment  *attachment,
                                          GError                        **error)
{
  g_autoptr(GMimeMessage) message = NULL;

  g_return_val_if_fail (raw != NULL, NULL);
  g_return_val_if_fail (attachment != NULL, NULL);

  message = cachet_mime_parse_message (raw, error);
  if (message == NULL)
    return NULL;
  return cachet_message_render_extract_from_message (message, attachment, error);
}

/**
 * cachet_message_render_extract_from_message:
 * @message: the parsed message a render was made from
 * @attachment: one of the render's attachments
 * @error: return location for a #CACHET_MIME_ERROR
 *
 * Like cachet_message_render_extract_attachment(), for a message parsed
 * already.
 *
 * Returns: (transfer full) (nullable): the content
 */
GBytes *
cachet_message_render_extract_from_message (GMimeMessage                   *message,
                                            const CachetMessageAttachment  *attachment,
                                            GError                        **error)
{
  g_autoptr(GMimeStream) memory = NULL;
  g_autofree char *content_type = NULL;
  GMimeObject *part;
  GByteArray *array;

  g_return_val_if_fail (GMIME_IS_MESSAGE (message), NULL);
  g_return_val_if_fail (attachment != NULL, NULL);

  part = cachet_mime_find_part (g_mime_message_get_mime_part (message), attachment->part_index);
  /* The type is checked too: a part index alone could name another part of
   * a different message. */
  if (part != NULL)
    content_type = content_type_string (part);
  if (content_type == NULL || !g_str_equal (content_type, attachment->content_type))
    {
      g_set_error_literal (error, CACHET_MIME_ERROR, CACHET_MIME_ERROR_INVALID,
                           _("The attachment is no longer in the message"));
      return NULL;
    }

  memory = g_mime_stream_mem_new ();
  if (!write_attachment (part, memory))
    {
      g_set_error_literal (error, CACHET_MIME_ERROR, CACHET_MIME_ERROR_INVALID,
                           _("The attachment cannot be decoded"));
      return NULL;
    }
  /* The stream owns the array unless told otherwise. */
  g_mime_stream_mem_set_owner (GMIME_STREAM_MEM (memory), FALSE);
  array = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (memory));

  return g_byte_array_free_to_bytes (array);
}

/* Types that run code when "opened" with the desktop's default application:
 * programs, installers, scripts, launchers and shortcuts. */
static const char *const program_types[] = {
  "application/x-executable",
  "application/x-sharedlib",
  "application/x-msdownload",
  "application/x-ms-dos-executable",
  "application/x-ms-shortcut",
  "application/x-msi",
  "application/vnd.microsoft.portable-executable",
  "application/x-shellscript",
  "application/x-desktop",
  "application/x-java-archive",
  "application/java-archive",
  "application/x-java-jnlp-file",
  "application/javascript",
  "application/x-perl",
  "application/x-python",
  "text/x-python",
  "application/x-ruby",
  "application/x-appimage",
  "application/vnd.appimage",
  "application/x-deb",
  "application/x-rpm",
  "application/vnd.flatpak.ref",
  "application/x-bat",
  "application/x-ms-wim",
  "text/javascript",
  "text/x-sh",
  "application/x-powershell",
};

/* Extensions Windows or a desktop runs, whatever type a sniffer sees. */
static const char *const program_extensions[] = {
  "exe", "com", "bat", "cmd", "scr", "pif", "msi", "msp", "cpl", "hta", "jar",
  "js", "jse", "vbs", "vbe", "wsf", "wsh", "ps1", "psm1", "lnk", "reg", "sh",
  "bash", "run", "desktop", "appimage", "py", "pl", "rb", "deb", "rpm",
  "flatpakref", "apk", "dll", "so", "command", "url",
};

/**
 * cachet_message_render_attachment_can_open:
 * @file_name: (nullable): the attachment's safe file name
 * @data: its content
 *
 * Whether an attachment may be handed to the desktop's default application:
 * not a program, installer, script or launcher, by name or by content. Such
 * attachments can still be saved.
 *
 * Returns: %TRUE if opening @data does not run it
 */
gboolean
cachet_message_render_attachment_can_open (const char *file_name,
                                           GBytes     *data)
{
  g_autofree char *content_type = NULL;
  const char *extension;
  gboolean uncertain = FALSE;

  g_return_val_if_fail (data != NULL, FALSE);

  extension = file_name != NULL ? strrchr (file_name, '.') : NULL;
  if (extension != NULL)
    {
      for (gsize i = 0; i < G_N_ELEMENTS (program_extensions); i++)
        {
          if (g_ascii_strcasecmp (extension + 1, program_extensions[i]) == 0)
            return FALSE;
        }
    }

  content_type = g_content_type_guess (file_name, g_bytes_get_data (data, NULL),
                                       MIN (g_bytes_get_size (data), 4096), &uncertain);
  for (gsize i = 0; i < G_N_ELEMENTS (program_types); i++)
    {
      g_autofree char *program_type = g_content_type_from_mime_type (program_types[i]);

      if (program_type != NULL && g_content_type_is_a (content_type, program_type))
        return FALSE;
    }
  return TRUE;
}

void
cachet_message_render_free (CachetMessageRender *render)
{
  if (render == NULL)
    return;

  g_ptr_array_unref (render->from);
  g_ptr_array_unref (render->to);
  g_ptr_array_unref (render->cc);
  g_free (render->subject);
  g_clear_pointer (&render->date, g_date_time_unref);
  g_free (render->body);
  g_ptr_array_unref (render->inline_parts);
  g_ptr_array_unref (render->attachments);
  g_free (render);
}

/**
 * cachet_message_render_lookup_cid:
 * @render: a render
 * @uri: a `cid:` URL from the HTML body (RFC 2392: percent-encoded, without
 *   angle brackets)
 *
 * Finds the image a `cid:` URL names, among @render's inline parts only.
 *
 * Returns: (transfer none) (nullable): the part, or %NULL.
 */
const CachetMessageInlinePart *
cachet_message_render_lookup_cid (const CachetMessageRender *render,
                                  const char                *uri)
{
  g_autofree char *content_id = NULL;

  g_return_val_if_fail (render != NULL, NULL);

  if (uri == NULL || g_ascii_strncasecmp (uri, "cid:", 4) != 0)
    return NULL;
  content_id = g_uri_unescape_string (uri + 4, NULL);
  if (content_id == NULL || *content_id == '\0')
    return NULL;

  for (guint i = 0; i < render->inline_parts->len; i++)
    {
      const CachetMessageInlinePart *part = g_ptr_array_index (render->inline_parts, i);

      if (g_str_equal (part->content_id, content_id))
        return part;
    }
  /* Some senders change the case of the domain part on the way. */
  for (guint i = 0; i < render->inline_parts->len; i++)
    {
      const CachetMessageInlinePart *part = g_ptr_array_index (render->inline_parts, i);

      if (g_ascii_strcasecmp (part->content_id, content_id) == 0)
        return part;
    }

  return NULL;
}

/**
 * cachet_message_render_get_html_document:
 * @render: a render whose body is HTML
 *
 * The HTML body as the view loads it: the same document with
 * %CACHET_MESSAGE_RENDER_CONTENT_SECURITY_POLICY written in a `<meta>` before
 * anything the message can put there, and DNS prefetching turned off (once
 * off, a document cannot turn it back on). This is defence in depth: the
 * viewer also enforces the policy and refuses every network load itself.
 *
 * Returns: (transfer full) (nullable): the document, or %NULL if the body is
 *   not HTML.
 */
char *
cachet_message_render_get_html_document (const CachetMessageRender *render)
{
  static const char head[] =
    "<meta http-equiv=\"Content-Security-Policy\" content=\""
    CACHET_MESSAGE_RENDER_CONTENT_SECURITY_POLICY "\">"
    "<meta http-equiv=\"x-dns-prefetch-control\" content=\"off\">";
  const char *body;
  const char *insert;
  g_autoptr(GString) document = NULL;

  g_return_val_if_fail (render != NULL, NULL);

  if (render->body_kind != CACHET_MESSAGE_BODY_HTML)
    return NULL;

  /* A <meta> before the doctype would put the document in quirks mode; after
   * it, the parser opens <html> and <head> for it, and the message's own
   * <html> and <head> merge into those. */
  body = render->body;
  insert = body;
  while (*insert != '\0' && (g_ascii_isspace (*insert) || g_str_has_prefix (insert, "\xef\xbb\xbf")))
    insert += *insert == '\xef' ? 3 : 1;
  if (g_ascii_strncasecmp (insert, "<!doctype", 9) == 0)
    {
      const char *close = strchr (insert, '>');

      insert = close != NULL ? close + 1 : insert;
    }
  else
    {
      insert = body;
    }

  document = g_string_sized_new (strlen (body) + sizeof head);
  g_string_append_len (document, body, insert - body);
  g_string_append (document, head);
  g_string_append (document, insert);

  return g_string_free (g_steal_pointer (&document), FALSE);
}
