/* cachet-message-summary.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <string.h>

#include "cachet-message-summary.h"

/* Every value read from a message is bounded, so that a hostile header cannot
 * blow up the index or a list row. The limits sit well above real mail. */
#define MAX_SUBJECT_BYTES       2048
#define MAX_NAME_BYTES          256
#define MAX_ADDRESS_BYTES       320
#define MAX_ADDRESSES           500
#define MAX_MESSAGE_ID_BYTES    998
#define MAX_REFERENCES          100
#define MAX_MSS_HEADERS         32
#define MAX_MSS_NAME_BYTES      64
#define MAX_MSS_VALUE_BYTES     1024
/* HTML carries markup around its text: read more of it to fill the body. */
#define MAX_HTML_INPUT_BYTES    (4 * CACHET_MESSAGE_SUMMARY_MAX_BODY)

static const char replacement_character[] = "\xef\xbf\xbd";

/* Cuts @string to at most @max bytes without splitting a UTF-8 sequence. */
static void
truncate_utf8 (GString *string,
               gsize    max)
{
  gsize length = max;

  if (string->len <= max)
    return;
  while (length > 0 && (string->str[length] & 0xc0) == 0x80)
    length--;
  g_string_truncate (string, length);
}

/* Windows-1252 for 0x80-0x9f, 0 where it has nothing. */
static const gunichar windows_1252_c1[32] = {
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
  0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
  0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
  0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
};

/* No real text holds C1 controls: they come from Windows-1252 text labelled
 * ISO-8859-1 (an "=96" en dash in an encoded word, say). Read them as
 * browsers do. */
static gunichar
unmask_c1 (gunichar c)
{
  if (c >= 0x80 && c <= 0x9f && windows_1252_c1[c - 0x80] != 0)
    return windows_1252_c1[c - 0x80];
  return c;
}

static gboolean
is_invisible (gunichar c)
{
  /* Controls, and format characters such as bidirectional overrides, which
   * can make a subject or a name read differently from what it is. */
  return g_unichar_iscntrl (c) || g_unichar_type (c) == G_UNICODE_FORMAT;
}

/* One line of valid UTF-8: runs of spaces and invisible characters become one
 * space, the ends are trimmed. Returns NULL for NULL or blank input. */
static char *
clean_line (const char *text,
            gsize       max_bytes)
{
  g_autofree char *valid = NULL;
  g_autoptr(GString) line = NULL;
  gboolean pending_space = FALSE;

  if (text == NULL)
    return NULL;

  /* Blanks and invisible characters do not count: read some more input
   * than the output may hold, not the whole of a hostile megabyte. */
  valid = g_utf8_make_valid (text, (gssize) MIN (strlen (text), 4 * max_bytes));
  line = g_string_sized_new (MIN (strlen (valid), max_bytes) + 1);
  for (const char *p = valid; *p != '\0' && line->len <= max_bytes; p = g_utf8_next_char (p))
    {
      gunichar c = unmask_c1 (g_utf8_get_char (p));

      if (g_unichar_isspace (c) || is_invisible (c))
        {
          pending_space = line->len > 0;
          continue;
        }
      if (pending_space)
        g_string_append_c (line, ' ');
      pending_space = FALSE;
      g_string_append_unichar (line, c);
    }
  truncate_utf8 (line, max_bytes);

  if (line->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&line), FALSE);
}

/* Message ids are atoms: a space or control inside one is garbage. */
static char *
clean_message_id (const char *id)
{
  g_autofree char *line = clean_line (id, MAX_MESSAGE_ID_BYTES);

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

static void
add_mailbox (GPtrArray       *out,
             InternetAddress *mailbox)
{
  CachetMessageAddress *address = g_new0 (CachetMessageAddress, 1);
  char *addr;

  address->name = clean_line (internet_address_get_name (mailbox), MAX_NAME_BYTES);
  addr = clean_line (internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (mailbox)),
                     MAX_ADDRESS_BYTES);
  address->address = addr != NULL ? addr : g_strdup ("");
  g_ptr_array_add (out, address);
}

/* Groups are flattened one level: RFC 5322 does not nest them, and a nested
 * group from a hostile header is not worth following. */
static void
collect_addresses (InternetAddressList *list,
                   GPtrArray           *out,
                   guint                max)
{
  int length;

  if (list == NULL)
    return;

  length = internet_address_list_length (list);
  for (int i = 0; i < length && out->len < max; i++)
    {
      InternetAddress *entry = internet_address_list_get_address (list, i);

      if (INTERNET_ADDRESS_IS_MAILBOX (entry))
        {
          add_mailbox (out, entry);
        }
      else if (INTERNET_ADDRESS_IS_GROUP (entry))
        {
          InternetAddressList *members =
            internet_address_group_get_members (INTERNET_ADDRESS_GROUP (entry));
          int n_members = members != NULL ? internet_address_list_length (members) : 0;

          for (int j = 0; j < n_members && out->len < max; j++)
            {
              InternetAddress *member = internet_address_list_get_address (members, j);

              if (INTERNET_ADDRESS_IS_MAILBOX (member))
                add_mailbox (out, member);
            }
        }
    }
}

/* Reads at most @max_bytes of the decoded (base64, quoted-printable...)
 * content of @part. The source is read through to the end at worst, so the
 * work stays linear in the size of the message. */
static GByteArray *
read_decoded_content (GMimePart *part,
                      gsize      max_bytes)
{
  GByteArray *bytes = g_byte_array_new ();
  GMimeDataWrapper *content = g_mime_part_get_content (part);
  GMimeStream *source;
  g_autoptr(GMimeStream) filtered = NULL;
  char buffer[8192];

  if (content == NULL || (source = g_mime_data_wrapper_get_stream (content)) == NULL)
    return bytes;

  g_mime_stream_reset (source);
  filtered = g_mime_stream_filter_new (source);

  switch (g_mime_data_wrapper_get_encoding (content))
    {
    case GMIME_CONTENT_ENCODING_BASE64:
    case GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE:
    case GMIME_CONTENT_ENCODING_UUENCODE:
      {
        g_autoptr(GMimeFilter) decoder =
          g_mime_filter_basic_new (g_mime_data_wrapper_get_encoding (content), FALSE);

        g_mime_stream_filter_add (GMIME_STREAM_FILTER (filtered), decoder);
      }
      break;
    case GMIME_CONTENT_ENCODING_DEFAULT:
    case GMIME_CONTENT_ENCODING_7BIT:
    case GMIME_CONTENT_ENCODING_8BIT:
    case GMIME_CONTENT_ENCODING_BINARY:
    default:
      break;
    }

  while (bytes->len < max_bytes)
    {
      ssize_t n_read = g_mime_stream_read (filtered, buffer,
                                           MIN (sizeof buffer, max_bytes - bytes->len));

      if (n_read <= 0)
        break;
      g_byte_array_append (bytes, (const guint8 *) buffer, (guint) n_read);
    }

  return bytes;
}

/* Converts with iconv, replacing what cannot be decoded instead of failing:
 * mail often lies about its charset. Returns NULL if @charset is unknown. */
static char *
convert_to_utf8 (const char *data,
                 gsize       length,
                 const char *charset)
{
  iconv_t converter = g_mime_iconv_open ("UTF-8", charset);
  g_autoptr(GString) out = NULL;
  char *in = (char *) data;
  size_t in_left = length;
  char buffer[4096];

  if (converter == (iconv_t) -1)
    return NULL;

  out = g_string_sized_new (length + length / 2 + 1);
  for (;;)
    {
      char *out_pointer = buffer;
      size_t out_left = sizeof buffer;
      /* A NULL input flushes the shift state of stateful charsets. */
      size_t result = iconv (converter, in_left > 0 ? &in : NULL, &in_left,
                             &out_pointer, &out_left);

      g_string_append_len (out, buffer, (gssize) (out_pointer - buffer));
      if (result != (size_t) -1)
        {
          if (in_left == 0)
            break;
          continue;
        }
      if (errno == E2BIG)
        continue;
      if (errno == EILSEQ && in_left > 0)
        {
          g_string_append (out, replacement_character);
          in++;
          in_left--;
          continue;
        }
      /* EINVAL: an incomplete sequence where the input was cut. */
      break;
    }
  g_mime_iconv_close (converter);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
text_to_utf8 (GByteArray *bytes,
              const char *declared_charset)
{
  const char *data = (const char *) bytes->data;
  const char *charset = NULL;
  char *converted;

  /* An empty GByteArray has no data pointer at all. */
  if (bytes->len == 0)
    return g_strdup ("");

  if (declared_charset != NULL)
    charset = g_mime_charset_canon_name (declared_charset);

  if (charset != NULL && g_ascii_strcasecmp (charset, "utf-8") == 0)
    return g_utf8_make_valid (data, (gssize) bytes->len);
  if (charset == NULL || g_ascii_strcasecmp (charset, "us-ascii") == 0)
    {
      /* Undeclared or "ASCII" text with 8-bit bytes is not UTF-8 by fiat:
       * if it does not validate, it is most likely Windows-1252. */
      if (g_utf8_validate_len (data, bytes->len, NULL))
        return g_utf8_make_valid (data, (gssize) bytes->len);
      charset = "windows-1252";
    }
  else if (g_ascii_strcasecmp (charset, "iso-8859-1") == 0)
    {
      /* As browsers do (WHATWG Encoding): Latin-1 labels mean Windows-1252,
       * whose 0x80-0x9f are the quotes and the euro sign writers meant. */
      charset = "windows-1252";
    }

  converted = convert_to_utf8 (data, bytes->len, charset);
  if (converted == NULL)
    converted = convert_to_utf8 (data, bytes->len, "windows-1252");
  if (converted == NULL)
    return g_utf8_make_valid (data, (gssize) bytes->len);

  /* iconv's output is UTF-8; the check only guards against a broken module. */
  if (!g_utf8_validate (converted, -1, NULL))
    {
      char *valid = g_utf8_make_valid (converted, -1);

      g_free (converted);
      converted = valid;
    }
  return converted;
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
      if (g_unichar_isspace (c) || is_invisible (c))
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
  truncate_utf8 (body, CACHET_MESSAGE_SUMMARY_MAX_BODY);

  return g_string_free (g_steal_pointer (&body), FALSE);
}

static char *
extract_text (GMimePart *part,
              gboolean   is_html)
{
  g_autoptr(GByteArray) bytes = NULL;
  g_autofree char *utf8 = NULL;
  const char *charset = g_mime_object_get_content_type_parameter (GMIME_OBJECT (part), "charset");

  bytes = read_decoded_content (part, is_html ? MAX_HTML_INPUT_BYTES
                                              : CACHET_MESSAGE_SUMMARY_MAX_BODY);
  /* A NUL would end the C string early: it is no text anyway. */
  for (guint i = 0; i < bytes->len; i++)
    {
      if (bytes->data[i] == '\0')
        bytes->data[i] = ' ';
    }
  utf8 = text_to_utf8 (bytes, charset);

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
      entry->name = clean_line (name, MAX_MSS_NAME_BYTES);
      entry->value = clean_line (g_mime_header_get_value (header), MAX_MSS_VALUE_BYTES);
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

  collect_addresses (g_mime_message_get_from (message), from, 1);
  if (from->len > 0)
    summary->from = g_ptr_array_steal_index (from, 0);
  collect_addresses (g_mime_message_get_to (message), summary->to, MAX_ADDRESSES);
  collect_addresses (g_mime_message_get_cc (message), summary->cc, MAX_ADDRESSES);

  summary->subject = clean_line (g_mime_message_get_subject (message), MAX_SUBJECT_BYTES);
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
