/* cachet-message-summary.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cachet-message-summary.h"
#include "cachet-mime-text-private.h"

/* Every value read from a message is bounded, so that a hostile header cannot
 * blow up the index or a list row. The limits sit well above real mail. */
#define MAX_SUBJECT_BYTES       2048
#define MAX_ADDRESSES           500
#define MAX_MESSAGE_ID_BYTES    998
#define MAX_REFERENCES          100
#define MAX_MSS_HEADERS         32
#define MAX_MSS_NAME_BYTES      64
#define MAX_MSS_VALUE_BYTES     1024
/* HTML carries markup around its text: read more of it to fill the body. */
#define MAX_HTML_INPUT_BYTES    (4 * CACHET_MESSAGE_SUMMARY_MAX_BODY)

/* Message ids are atoms: a space or control inside one is garbage. */
static char *
clean_message_id (const char *id)
{
  g_autofree char *line = _cachet_mime_text_clean_line (id, MAX_MESSAGE_ID_BYTES);

  if (line == NULL || strchr (line, ' ') != NULL)
    return NULL;
  return g_steal_pointer (&line);
}

void
cachet_message_address_free (CachetMessageAddress *address)
{
  if (address == NULL)
    return;
  g_free (address->name);
  g_free (address->address);
  g_free (address);
}

static void
message_header_free (CachetMessageHeader *header)
{
  g_free (header->name);
  g_free (header->value);
  g_free (header);
}

/**
 * cachet_message_address_list_to_string:
 * @addresses: (element-type CachetMessageAddress): mailboxes
 *
 * Formats @addresses for display and search: `Name <address>` or `address`,
 * separated by ", ".
 *
 * Returns: (transfer full): the text, empty for an empty list.
 */
char *
cachet_message_address_list_to_string (GPtrArray *addresses)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (addresses != NULL, NULL);

  for (guint i = 0; i < addresses->len; i++)
    {
      CachetMessageAddress *address = g_ptr_array_index (addresses, i);

      if (text->len > 0)
        g_string_append (text, ", ");
      if (address->name != NULL)
        g_string_append_printf (text, "%s <%s>", address->name, address->address);
      else
        g_string_append (text, address->address);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

typedef struct
{
  const char *name;
  const char *utf8;
} HtmlEntity;

/* The named entities that French mail actually uses; anything else can be
 * written numerically, which is decoded in full. */
static const HtmlEntity html_entities[] = {
  { "amp", "&" }, { "lt", "<" }, { "gt", ">" }, { "quot", "\"" }, { "apos", "'" },
  { "nbsp", " " }, { "eacute", "é" }, { "Eacute", "É" }, { "egrave", "è" },
  { "Egrave", "È" }, { "ecirc", "ê" }, { "Ecirc", "Ê" }, { "euml", "ë" },
  { "agrave", "à" }, { "Agrave", "À" }, { "acirc", "â" }, { "Acirc", "Â" },
  { "auml", "ä" }, { "ccedil", "ç" }, { "Ccedil", "Ç" }, { "icirc", "î" },
  { "iuml", "ï" }, { "ocirc", "ô" }, { "Ocirc", "Ô" }, { "ouml", "ö" },
  { "ugrave", "ù" }, { "ucirc", "û" }, { "uuml", "ü" }, { "yuml", "ÿ" },
  { "oelig", "œ" }, { "OElig", "Œ" }, { "aelig", "æ" }, { "laquo", "«" },
  { "raquo", "»" }, { "euro", "€" }, { "deg", "°" }, { "copy", "©" },
  { "reg", "®" }, { "hellip", "…" }, { "ndash", "–" }, { "mdash", "—" },
  { "lsquo", "‘" }, { "rsquo", "’" }, { "ldquo", "“" }, { "rdquo", "”" },
  { "bull", "•" }, { "middot", "·" }, { "micro", "µ" }, { "plusmn", "±" },
  { "times", "×" }, { "sup2", "²" }, { "frac12", "½" },
};

/* Decodes the entity at @p (just after '&'); on success appends it and
 * returns the position after ';'. */
static const char *
decode_entity (const char *p,
               const char *end,
               GString    *out)
{
  const char *semicolon = memchr (p, ';', (gsize) MIN (end - p, 12));
  gsize length;

  if (semicolon == NULL || semicolon == p)
    return NULL;
  length = (gsize) (semicolon - p);

  if (*p == '#')
    {
      g_autofree char *digits = g_strndup (p + 1, length - 1);
      gboolean hex = digits[0] == 'x' || digits[0] == 'X';
      guint64 value;

      if (!g_ascii_string_to_unsigned (hex ? digits + 1 : digits, hex ? 16 : 10,
                                       1, 0x10ffff, &value, NULL) ||
          !g_unichar_validate ((gunichar) value))
        return NULL;
      g_string_append_unichar (out, (gunichar) value);
      return semicolon + 1;
    }

  for (gsize i = 0; i < G_N_ELEMENTS (html_entities); i++)
    {
      if (strlen (html_entities[i].name) == length &&
          memcmp (html_entities[i].name, p, length) == 0)
        {
          g_string_append (out, html_entities[i].utf8);
          return semicolon + 1;
        }
    }

  return NULL;
}

/* Finds @needle (lower-case ASCII) in [@p, @end) ignoring ASCII case. */
static const char *
find_ascii_nocase (const char *p,
                   const char *end,
                   const char *needle)
{
  gsize length = strlen (needle);

  for (; (gsize) (end - p) >= length; p++)
    {
      if (g_ascii_strncasecmp (p, needle, length) == 0)
        return p;
    }
  return NULL;
}

/* TRUE if @p starts the tag @name (lower case), e.g. "<style>" but not
 * "<styles>". */
static gboolean
opens_tag (const char *p,
           const char *end,
           const char *name)
{
  gsize length = strlen (name);

  return (gsize) (end - p) > length + 1 &&
         g_ascii_strncasecmp (p + 1, name, length) == 0 &&
         (p[length + 1] == '>' || p[length + 1] == '/' || g_ascii_isspace (p[length + 1]));
}

/* Text for indexing, not for display: tags become spaces; scripts, styles,
 * the head and comments vanish; entities are decoded. One pass: every inner
 * search resumes where it stopped, so the work is linear in the input. */
static char *
html_to_text (const char *html,
              gsize       max_bytes)
{
  static const char *hidden_elements[] = { "script", "style", "head" };
  const char *end = html + strlen (html);
  g_autoptr(GString) text = g_string_sized_new (MIN ((gsize) (end - html), max_bytes) + 1);
  const char *p = html;

  while (p < end && text->len <= max_bytes)
    {
      if (*p == '<')
        {
          const char *close;

          if (g_str_has_prefix (p, "<!--"))
            {
              close = find_ascii_nocase (p + 4, end, "-->");
              p = close != NULL ? close + 3 : end;
              g_string_append_c (text, ' ');
              continue;
            }

          for (gsize i = 0; i < G_N_ELEMENTS (hidden_elements); i++)
            {
              if (opens_tag (p, end, hidden_elements[i]))
                {
                  g_autofree char *closing = g_strconcat ("</", hidden_elements[i], NULL);

                  close = find_ascii_nocase (p + 1, end, closing);
                  p = close != NULL ? close + 1 : end;
                  break;
                }
            }

          close = memchr (p, '>', (gsize) (end - p));
          p = close != NULL ? close + 1 : end;
          g_string_append_c (text, ' ');
        }
      else if (*p == '&')
        {
          const char *after = decode_entity (p + 1, end, text);

          if (after != NULL)
            {
              p = after;
            }
          else
            {
              g_string_append_c (text, '&');
              p++;
            }
        }
      else
        {
          g_string_append_c (text, *p);
          p++;
        }
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Body text keeps its lines (they help phrase search across a paragraph) but
 * loses every other control character and runs of blanks. */
static char *
clean_body (const char *text)
{
  /* Past this much input the output is full anyway. */
  g_autofree char *valid = g_utf8_make_valid (text,
                                              (gssize) MIN (strlen (text), MAX_HTML_INPUT_BYTES));
  g_autoptr(GString) body = g_string_sized_new (MIN (strlen (valid),
                                                     CACHET_MESSAGE_SUMMARY_MAX_BODY) + 1);
  gunichar pending = 0;

  for (const char *p = valid; *p != '\0' && body->len <= CACHET_MESSAGE_SUMMARY_MAX_BODY;
       p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\n')
        {
          pending = '\n';
          continue;
        }
      if (g_unichar_isspace (c) || _cachet_mime_text_is_invisible (c))
        {
          if (pending == 0)
            pending = ' ';
          continue;
        }
      if (pending != 0 && body->len > 0)
        g_string_append_c (body, (char) pending);
      pending = 0;
      g_string_append_unichar (body, c);
    }
  _cachet_mime_text_truncate_utf8 (body, CACHET_MESSAGE_SUMMARY_MAX_BODY);

  return g_string_free (g_steal_pointer (&body), FALSE);
}

static char *
extract_text (GMimePart *part,
              gboolean   is_html)
{
  g_autoptr(GByteArray) bytes = NULL;
  g_autofree char *utf8 = NULL;
  const char *charset = g_mime_object_get_content_type_parameter (GMIME_OBJECT (part), "charset");

  bytes = _cachet_mime_text_read_decoded_content (part,
                                                  is_html ? MAX_HTML_INPUT_BYTES
                                                          : CACHET_MESSAGE_SUMMARY_MAX_BODY,
                                                  NULL);
  /* A NUL would end the C string early: it is no text anyway. */
  for (guint i = 0; i < bytes->len; i++)
    {
      if (bytes->data[i] == '\0')
        bytes->data[i] = ' ';
    }
  utf8 = _cachet_mime_text_to_utf8 (bytes, charset, FALSE);

  if (is_html)
    {
      g_autofree char *stripped = html_to_text (utf8, CACHET_MESSAGE_SUMMARY_MAX_BODY);

      return clean_body (stripped);
    }
  return clean_body (utf8);
}

static gboolean
content_type_is (GMimeObject *object,
                 const char  *type,
                 const char  *subtype)
{
  GMimeContentType *content_type = g_mime_object_get_content_type (object);

  return content_type != NULL && g_mime_content_type_is_type (content_type, type, subtype);
}

static gboolean
is_pkcs7_mime (GMimeObject *object)
{
  return content_type_is (object, "application", "pkcs7-mime") ||
         content_type_is (object, "application", "x-pkcs7-mime");
}

static gboolean
is_signature (GMimeObject *object)
{
  return content_type_is (object, "application", "pkcs7-signature") ||
         content_type_is (object, "application", "x-pkcs7-signature") ||
         content_type_is (object, "application", "pgp-signature");
}

/* Only the root counts (or the content of a signed root, for encrypt-then-
 * sign): an S/MIME blob deeper in the tree is an attachment, never the
 * protection of the message itself. Returns the S/MIME part that is the body
 * of the message, if any. */
static GMimeObject *
classify_protection (GMimeObject          *root,
                     CachetMessageSummary *summary)
{
  GMimeObject *content = root;
  const char *smime_type;

  if (content_type_is (root, "multipart", "signed"))
    {
      summary->is_signed = TRUE;
      if (!GMIME_IS_MULTIPART (root) || g_mime_multipart_get_count (GMIME_MULTIPART (root)) == 0)
        return NULL;
      content = g_mime_multipart_get_part (GMIME_MULTIPART (root), 0);
    }

  if (content_type_is (content, "multipart", "encrypted"))
    summary->is_encrypted = TRUE;
  if (!is_pkcs7_mime (content))
    return NULL;

  smime_type = g_mime_object_get_content_type_parameter (content, "smime-type");
  if (smime_type != NULL && g_ascii_strcasecmp (smime_type, "signed-data") == 0)
    summary->is_signed = TRUE;
  /* Before RFC 5751 the parameter was optional, and such blobs were nearly
   * always enveloped data. */
  else if (smime_type == NULL || g_ascii_strcasecmp (smime_type, "enveloped-data") == 0 ||
           g_ascii_strcasecmp (smime_type, "authEnveloped-data") == 0)
    summary->is_encrypted = TRUE;

  return content;
}

typedef struct
{
  CachetMessageSummary *summary;
  GMimeObject          *protected_content;
  GMimePart            *plain;           /* borrowed from the message */
  GMimePart            *html;            /* borrowed from the message */
  GMimeMultipart       *empty_multipart; /* borrowed from the message */
} SummaryWalk;

static CachetMimeWalkAction
summarize_part (GMimeObject *part,
                GMimeObject *parent,
                guint        index,
                guint        depth,
                gpointer     user_data)
{
  SummaryWalk *walk = user_data;
  GMimeContentDisposition *disposition;

  /* An attached message is one attachment: its own body and attachments are
   * not this message's. */
  if (GMIME_IS_MESSAGE_PART (part))
    {
      walk->summary->has_attachment = TRUE;
      return CACHET_MIME_WALK_SKIP_CHILDREN;
    }
  /* Encrypted content is opaque until the S/MIME layer opens it. */
  if (content_type_is (part, "multipart", "encrypted") || part == walk->protected_content)
    return CACHET_MIME_WALK_SKIP_CHILDREN;
  /* A multipart whose boundary never shows up keeps all its text as its
   * prologue: still worth indexing. */
  if (GMIME_IS_MULTIPART (part) && g_mime_multipart_get_count (GMIME_MULTIPART (part)) == 0 &&
      walk->empty_multipart == NULL)
    walk->empty_multipart = GMIME_MULTIPART (part);
  if (!GMIME_IS_PART (part))
    return CACHET_MIME_WALK_CONTINUE;
  if (parent != NULL && content_type_is (parent, "multipart", "signed") && is_signature (part))
    return CACHET_MIME_WALK_CONTINUE;

  disposition = g_mime_object_get_content_disposition (part);
  if ((disposition != NULL && g_mime_content_disposition_is_attachment (disposition)) ||
      g_mime_part_get_filename (GMIME_PART (part)) != NULL)
    walk->summary->has_attachment = TRUE;
  else if (walk->plain == NULL && content_type_is (part, "text", "plain"))
    walk->plain = GMIME_PART (part);
  else if (walk->html == NULL && content_type_is (part, "text", "html"))
    walk->html = GMIME_PART (part);

  return CACHET_MIME_WALK_CONTINUE;
}

static void
summarize_references (GMimeMessage         *message,
                      CachetMessageSummary *summary)
{
  const char *in_reply_to = g_mime_object_get_header (GMIME_OBJECT (message), "In-Reply-To");
  const char *references = g_mime_object_get_header (GMIME_OBJECT (message), "References");

  if (in_reply_to != NULL)
    {
      g_autofree char *id = g_mime_utils_decode_message_id (in_reply_to);

      summary->in_reply_to = clean_message_id (id);
    }

  if (references != NULL)
    {
      /* No options: only the global defaults are read, never changed. */
      g_autoptr(GMimeReferences) parsed = g_mime_references_parse (NULL, references);
      int length = parsed != NULL ? g_mime_references_length (parsed) : 0;

      /* The root of the thread and the nearest ancestors matter most. */
      for (int i = 0; i < length; i++)
        {
          char *id;

          if (i > 0 && i < length - (MAX_REFERENCES - 1))
            continue;
          id = clean_message_id (g_mime_references_get_message_id (parsed, i));
          if (id != NULL)
            g_ptr_array_add (summary->references, id);
        }
    }
}

static void
summarize_mss_headers (GMimeMessage         *message,
                       CachetMessageSummary *summary)
{
  GMimeHeaderList *headers = g_mime_object_get_header_list (GMIME_OBJECT (message));
  int count = g_mime_header_list_get_count (headers);

  for (int i = 0; i < count && summary->mss_headers->len < MAX_MSS_HEADERS; i++)
    {
      GMimeHeader *header = g_mime_header_list_get_header_at (headers, i);
      const char *name = g_mime_header_get_name (header);
      CachetMessageHeader *entry;

      if (name == NULL || g_ascii_strncasecmp (name, "X-MSS-", 6) != 0)
        continue;

      entry = g_new0 (CachetMessageHeader, 1);
      entry->name = _cachet_mime_text_clean_line (name, MAX_MSS_NAME_BYTES);
      entry->value = _cachet_mime_text_clean_line (g_mime_header_get_value (header), MAX_MSS_VALUE_BYTES);
      if (entry->value == NULL)
        entry->value = g_strdup ("");
      g_ptr_array_add (summary->mss_headers, entry);
    }
}

static CachetMessageSummary *
summary_new (void)
{
  CachetMessageSummary *summary = g_new0 (CachetMessageSummary, 1);

  summary->references = g_ptr_array_new_with_free_func (g_free);
  summary->to = g_ptr_array_new_with_free_func ((GDestroyNotify) cachet_message_address_free);
  summary->cc = g_ptr_array_new_with_free_func ((GDestroyNotify) cachet_message_address_free);
  summary->mss_headers = g_ptr_array_new_with_free_func ((GDestroyNotify) message_header_free);

  return summary;
}

/**
 * cachet_message_summary_new_from_message:
 * @message: a message from cachet_mime_parse_message()
 *
 * Extracts what the index needs from @message, best effort: a missing or
 * unreadable field is left empty. The work is bounded by the size of the
 * message and the limits of cachet_mime_walk().
 *
 * Returns: (transfer full): the summary.
 */
CachetMessageSummary *
cachet_message_summary_new_from_message (GMimeMessage *message)
{
  g_autoptr(CachetMessageSummary) summary = summary_new ();
  g_autoptr(GPtrArray) from = NULL;
  GMimeObject *root;
  GDateTime *date;

  g_return_val_if_fail (GMIME_IS_MESSAGE (message), NULL);

  from = g_ptr_array_new_with_free_func ((GDestroyNotify) cachet_message_address_free);
  summary->message_id = clean_message_id (g_mime_message_get_message_id (message));
  summarize_references (message, summary);

  date = g_mime_message_get_date (message);
  summary->date = date != NULL ? g_date_time_ref (date) : NULL;

  _cachet_mime_text_collect_addresses (g_mime_message_get_from (message), from, 1);
  if (from->len > 0)
    summary->from = g_ptr_array_steal_index (from, 0);
  _cachet_mime_text_collect_addresses (g_mime_message_get_to (message), summary->to, MAX_ADDRESSES);
  _cachet_mime_text_collect_addresses (g_mime_message_get_cc (message), summary->cc, MAX_ADDRESSES);

  summary->subject = _cachet_mime_text_clean_line (g_mime_message_get_subject (message), MAX_SUBJECT_BYTES);
  summarize_mss_headers (message, summary);

  root = g_mime_message_get_mime_part (message);
  if (root != NULL)
    {
      SummaryWalk walk = { .summary = summary };

      walk.protected_content = classify_protection (root, summary);
      summary->issues |= cachet_mime_walk (root, summarize_part, &walk);

      if (walk.plain != NULL)
        summary->body_text = extract_text (walk.plain, FALSE);
      else if (walk.html != NULL)
        summary->body_text = extract_text (walk.html, TRUE);
      else if (walk.empty_multipart != NULL &&
               g_mime_multipart_get_prologue (walk.empty_multipart) != NULL)
        summary->body_text = clean_body (g_mime_multipart_get_prologue (walk.empty_multipart));
    }
  if (summary->body_text == NULL)
    summary->body_text = g_strdup ("");

  /* Read last: address and parameter parsing can add to them. */
  summary->issues |= cachet_mime_message_get_issues (message);

  return g_steal_pointer (&summary);
}

/**
 * cachet_message_summary_new_from_bytes:
 * @raw: a message, as received
 * @error: return location for a #CACHET_MIME_ERROR
 *
 * Parses @raw and extracts its summary; see
 * cachet_message_summary_new_from_message(). Blocking and CPU-bound for big
 * messages: call it from a worker thread.
 *
 * Returns: (transfer full): the summary, or %NULL if @raw holds nothing that
 *   can be read as a message.
 */
CachetMessageSummary *
cachet_message_summary_new_from_bytes (GBytes  *raw,
                                       GError **error)
{
  g_autoptr(GMimeMessage) message = NULL;

  g_return_val_if_fail (raw != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  message = cachet_mime_parse_message (raw, error);
  if (message == NULL)
    return NULL;

  return cachet_message_summary_new_from_message (message);
}

void
cachet_message_summary_free (CachetMessageSummary *summary)
{
  if (summary == NULL)
    return;

  g_free (summary->message_id);
  g_free (summary->in_reply_to);
  g_ptr_array_unref (summary->references);
  g_clear_pointer (&summary->date, g_date_time_unref);
  cachet_message_address_free (summary->from);
  g_ptr_array_unref (summary->to);
  g_ptr_array_unref (summary->cc);
  g_free (summary->subject);
  g_free (summary->body_text);
  g_ptr_array_unref (summary->mss_headers);
  g_free (summary);
}
