/* cachet-imap-parser.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cachet-imap-error.h"
#include "cachet-imap-parser.h"
#include "cachet-imap-response-private.h"
#include "cachet-imap-sequence-set.h"

/* The parser works in two layers.
 *
 * Framing splits the byte stream into segments: a line up to CRLF, then, if
 * that line ends with a literal marker {n}, exactly n bytes of literal, then
 * the next line of the same response, and so on. Bytes are buffered only
 * until a segment is complete (or copied straight into the literal's own
 * buffer), so the result cannot depend on how the stream was chunked.
 *
 * The grammar reads each complete line with the state of the response built
 * so far: a stack of open lists. Only the grammar can tell a literal marker
 * from text: "A1 NO no such folder {5}" is text, and reading it as a literal
 * would swallow the next five bytes of the stream, which a server that
 * echoes user input would hand to an attacker.
 *
 * Line ends are strictly CRLF. Dovecot, Cyrus, Gmail and Exchange all send
 * CRLF; accepting a bare LF would let a stray LF in echoed text split one
 * response into two. What is tolerated is what cannot be misread: runs of
 * spaces between values and before the line end, a status response without
 * text ("* OK"), a continuation request without text ("+"), lower-case
 * keywords, "]" inside an atom when it closes a "[" of the same atom
 * (Gmail's [Gmail]/Sent Mail), "" for a LIST delimiter and a MODSEQ that is
 * not a number (both read as absent). Responses that are wrong in ways that
 * could be read two ways are refused: Domino's extra parentheses around
 * ENVELOPE, a FETCH item without its value, a response code line without
 * "* OK" (old Exchange).
 *
 * Any error is final: after it, the stream can no longer be trusted to be
 * where we think it is, so every later feed fails with the same error and
 * the session must close the connection. */

/* A literal's buffer starts at this size and doubles as bytes arrive, so a
 * server that announces {268435456} and sends nothing costs us nothing. */
#define LITERAL_FIRST_ALLOCATION (64 * 1024)

/* 2^64 - 1 has 20 digits; longer sizes are refused rather than parsed. */
#define LITERAL_SIZE_MAX_DIGITS 20

typedef enum
{
  FRAME_ROOT,
  FRAME_CODE,
  FRAME_LIST,
  FRAME_SECTION,
} FrameKind;

typedef struct
{
  FrameKind   kind;
  guint       start;
  const char *name;
} Frame;

/* What the grammar saw last, to decide whether a space is needed before the
 * next value. Lists may follow lists directly: that is how BODYSTRUCTURE
 * writes the parts of a multipart. */
typedef enum
{
  AFTER_SEPARATOR,
  AFTER_VALUE,
  AFTER_LIST,
} After;

typedef enum
{
  TOKENS_END_OF_LINE,
  TOKENS_CODE_END,
  TOKENS_LITERAL,
  TOKENS_ERROR,
} TokensResult;

typedef struct
{
  const guint8 *data;
  gsize         length;
  gsize         pos;
  guint64       offset;
} Cursor;

struct _CachetImapParser
{
  GObject                 parent_instance;

  CachetImapParserLimits  limits;

  GQueue                  responses;
  GError                 *error;
  guint64                 offset;
  GByteArray             *line;

  /* The response being built. */
  CachetImapResponse     *current;
  guint64                 response_offset;
  gsize                   response_bytes;
  guint                   n_elements;
  GArray                 *frames;
  GPtrArray              *pending;
  guint                   open_sections;
  After                   after;

  /* The literal being received. */
  gboolean                in_literal;
  guint8                 *literal;
  gsize                   literal_length;
  gsize                   literal_size;
  gsize                   literal_allocated;
};

/**
 * CachetImapParser:
 *
 * Reads the responses of one IMAP connection. The session feeds it every
 * byte it receives, in whatever chunks the network gives, with
 * cachet_imap_parser_feed(), then takes the complete responses with
 * cachet_imap_parser_next_response(). Memory and work are bounded by
 * #CachetImapParserLimits.
 */
G_DEFINE_FINAL_TYPE (CachetImapParser, cachet_imap_parser, G_TYPE_OBJECT)

/* Codes whose arguments have a grammar are parsed and checked; the others
 * keep their arguments as raw text. */
static const struct
{
  const char             *name;
  CachetImapResponseCode  code;
  gboolean                has_syntax;
} response_codes[] = {
  { "ALERT", CACHET_IMAP_RESPONSE_CODE_ALERT, FALSE },
  { "ALREADYEXISTS", CACHET_IMAP_RESPONSE_CODE_ALREADYEXISTS, FALSE },
  { "APPENDUID", CACHET_IMAP_RESPONSE_CODE_APPENDUID, TRUE },
  { "AUTHENTICATIONFAILED", CACHET_IMAP_RESPONSE_CODE_AUTHENTICATIONFAILED, FALSE },
  { "AUTHORIZATIONFAILED", CACHET_IMAP_RESPONSE_CODE_AUTHORIZATIONFAILED, FALSE },
  { "BADCHARSET", CACHET_IMAP_RESPONSE_CODE_BADCHARSET, TRUE },
  { "CANNOT", CACHET_IMAP_RESPONSE_CODE_CANNOT, FALSE },
  { "CAPABILITY", CACHET_IMAP_RESPONSE_CODE_CAPABILITY, TRUE },
  { "CLIENTBUG", CACHET_IMAP_RESPONSE_CODE_CLIENTBUG, FALSE },
  { "CLOSED", CACHET_IMAP_RESPONSE_CODE_CLOSED, FALSE },
  { "CONTACTADMIN", CACHET_IMAP_RESPONSE_CODE_CONTACTADMIN, FALSE },
  { "COPYUID", CACHET_IMAP_RESPONSE_CODE_COPYUID, TRUE },
  { "CORRUPTION", CACHET_IMAP_RESPONSE_CODE_CORRUPTION, FALSE },
  { "EXPIRED", CACHET_IMAP_RESPONSE_CODE_EXPIRED, FALSE },
  { "EXPUNGEISSUED", CACHET_IMAP_RESPONSE_CODE_EXPUNGEISSUED, FALSE },
  { "HIGHESTMODSEQ", CACHET_IMAP_RESPONSE_CODE_HIGHESTMODSEQ, TRUE },
  { "INUSE", CACHET_IMAP_RESPONSE_CODE_INUSE, FALSE },
  { "LIMIT", CACHET_IMAP_RESPONSE_CODE_LIMIT, FALSE },
  { "MODIFIED", CACHET_IMAP_RESPONSE_CODE_MODIFIED, TRUE },
  { "NOMODSEQ", CACHET_IMAP_RESPONSE_CODE_NOMODSEQ, FALSE },
  { "NONEXISTENT", CACHET_IMAP_RESPONSE_CODE_NONEXISTENT, FALSE },
  { "NOPERM", CACHET_IMAP_RESPONSE_CODE_NOPERM, FALSE },
  { "OVERQUOTA", CACHET_IMAP_RESPONSE_CODE_OVERQUOTA, FALSE },
  { "PARSE", CACHET_IMAP_RESPONSE_CODE_PARSE, FALSE },
  { "PERMANENTFLAGS", CACHET_IMAP_RESPONSE_CODE_PERMANENTFLAGS, TRUE },
  { "PRIVACYREQUIRED", CACHET_IMAP_RESPONSE_CODE_PRIVACYREQUIRED, FALSE },
  { "READ-ONLY", CACHET_IMAP_RESPONSE_CODE_READ_ONLY, FALSE },
  { "READ-WRITE", CACHET_IMAP_RESPONSE_CODE_READ_WRITE, FALSE },
  { "SERVERBUG", CACHET_IMAP_RESPONSE_CODE_SERVERBUG, FALSE },
  { "TRYCREATE", CACHET_IMAP_RESPONSE_CODE_TRYCREATE, FALSE },
  { "UIDNEXT", CACHET_IMAP_RESPONSE_CODE_UIDNEXT, TRUE },
  { "UIDNOTSTICKY", CACHET_IMAP_RESPONSE_CODE_UIDNOTSTICKY, FALSE },
  { "UIDVALIDITY", CACHET_IMAP_RESPONSE_CODE_UIDVALIDITY, TRUE },
  { "UNAVAILABLE", CACHET_IMAP_RESPONSE_CODE_UNAVAILABLE, FALSE },
  { "UNKNOWN-CTE", CACHET_IMAP_RESPONSE_CODE_UNKNOWN_CTE, FALSE },
  { "UNSEEN", CACHET_IMAP_RESPONSE_CODE_UNSEEN, TRUE },
};

static const struct
{
  const char             *name;
  CachetImapResponseType  type;
} data_responses[] = {
  { "CAPABILITY", CACHET_IMAP_RESPONSE_CAPABILITY },
  { "ENABLED", CACHET_IMAP_RESPONSE_ENABLED },
  { "LIST", CACHET_IMAP_RESPONSE_LIST },
  { "LSUB", CACHET_IMAP_RESPONSE_LSUB },
  { "STATUS", CACHET_IMAP_RESPONSE_MAILBOX_STATUS },
  { "FLAGS", CACHET_IMAP_RESPONSE_FLAGS },
  { "SEARCH", CACHET_IMAP_RESPONSE_SEARCH },
  { "ESEARCH", CACHET_IMAP_RESPONSE_ESEARCH },
  { "VANISHED", CACHET_IMAP_RESPONSE_VANISHED },
};

static const struct
{
  const char             *name;
  CachetImapResponseType  type;
} numbered_responses[] = {
  { "EXISTS", CACHET_IMAP_RESPONSE_EXISTS },
  { "RECENT", CACHET_IMAP_RESPONSE_RECENT },
  { "EXPUNGE", CACHET_IMAP_RESPONSE_EXPUNGE },
  { "FETCH", CACHET_IMAP_RESPONSE_FETCH },
};

static const struct
{
  const char       *name;
  CachetImapStatus  status;
} statuses[] = {
  { "OK", CACHET_IMAP_STATUS_OK },
  { "NO", CACHET_IMAP_STATUS_NO },
  { "BAD", CACHET_IMAP_STATUS_BAD },
  { "PREAUTH", CACHET_IMAP_STATUS_PREAUTH },
  { "BYE", CACHET_IMAP_STATUS_BYE },
};

/* Character classes ------------------------------------------------------ */

/* Looser than RFC 9051's ATOM-CHAR: "%", "*", "\\" and 8-bit bytes are part
 * of atoms (flags, wildcards, sequence sets, UTF-8 names), since none of them
 * can start another token. "[" and "]" are handled by the caller. */
static inline gboolean
is_atom_char (guint8 c)
{
  return c > 0x20 && c != 0x7f && c != '(' && c != ')' && c != '{' && c != '"';
}

/* RFC 9051 tag: ASTRING-CHAR but "+", 7-bit. */
static inline gboolean
is_tag_char (guint8 c)
{
  return c > 0x20 && c < 0x7f && c != '(' && c != ')' && c != '{' && c != '"' &&
         c != '%' && c != '*' && c != '\\' && c != '+';
}

/* Response names and response code names: 7-bit atoms. */
static inline gboolean
is_name_char (guint8 c)
{
  return c < 0x80 && is_atom_char (c) && c != '[' && c != ']';
}

/* Errors ----------------------------------------------------------------- */

static G_GNUC_PRINTF (3, 4) void
set_parse_error (GError     **error,
                 guint64      offset,
                 const char  *format,
                 ...)
{
  g_autofree char *reason = NULL;
  va_list args;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_PARSE,
               "Malformed IMAP response at byte %" G_GUINT64_FORMAT ": %s", offset, reason);
}

static gboolean
cursor_error (const Cursor  *c,
              GError       **error,
              const char    *reason)
{
  set_parse_error (error, c->offset + c->pos, "%s", reason);
  return FALSE;
}

/* Building values --------------------------------------------------------- */

static gboolean
count_element (CachetImapParser  *self,
               GError           **error)
{
  if (self->n_elements >= self->limits.max_elements)
    {
      g_set_error (error, CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_LIMIT_EXCEEDED,
                   "IMAP response at byte %" G_GUINT64_FORMAT " has more than %u values",
                   self->response_offset, self->limits.max_elements);
      return FALSE;
    }
  self->n_elements++;
  return TRUE;
}

static CachetImapValue *
new_value (CachetImapParser     *self,
           CachetImapValueType   type,
           const guint8         *text,
           gsize                 length)
{
  CachetImapValue *value = _cachet_imap_response_new_value (self->current, type);

  value->str = _cachet_imap_response_strndup (self->current, (const char *) text, length);
  value->length = length;
  return value;
}

/* Ends the frame on top: its values, pending since the frame opened, become
 * the children of a new value. */
static CachetImapValue *
close_frame (CachetImapParser    *self,
             CachetImapValueType  type)
{
  const Frame *frame = &g_array_index (self->frames, Frame, self->frames->len - 1);
  guint n = self->pending->len - frame->start;
  CachetImapValue *value = _cachet_imap_response_new_value (self->current, type);

  value->n_children = n;
  if (n > 0)
    {
      value->children = _cachet_imap_response_alloc (self->current, n * sizeof (gpointer));
      memcpy (value->children, &self->pending->pdata[frame->start], n * sizeof (gpointer));
    }
  g_ptr_array_set_size (self->pending, frame->start);
  g_array_set_size (self->frames, self->frames->len - 1);
  return value;
}

static gboolean
open_frame (CachetImapParser  *self,
            const Cursor      *c,
            FrameKind          kind,
            const char        *name,
            GError           **error)
{
  Frame frame = { kind, self->pending->len, name };

  if (kind == FRAME_LIST || kind == FRAME_SECTION)
    {
      /* The bottom frame (root or code) is not a level of nesting. */
      if (self->frames->len > self->limits.max_depth)
        {
          g_set_error (error, CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_LIMIT_EXCEEDED,
                       "IMAP response nests lists deeper than %u levels at byte %" G_GUINT64_FORMAT,
                       self->limits.max_depth, c->offset + c->pos);
          return FALSE;
        }
      if (!count_element (self, error))
        return FALSE;
    }

  g_array_append_val (self->frames, frame);
  return TRUE;
}

static inline const Frame *
top_frame (CachetImapParser *self)
{
  return &g_array_index (self->frames, Frame, self->frames->len - 1);
}

/* The key of a section: "BODY[HEADER.FIELDS (FROM TO)]". Walks the section's
 * lists with an explicit stack rather than recursion. */
static const char *
section_key (CachetImapParser      *self,
             const char            *name,
             const CachetImapValue *section)
{
  g_autoptr(GString) key = g_string_new (name);
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (gpointer));
  g_autoptr(GArray) positions = g_array_new (FALSE, FALSE, sizeof (guint));
  const CachetImapValue *list = section;
  guint i = 0;

  g_string_append_c (key, '[');
  for (;;)
    {
      const CachetImapValue *child;

      if (i == list->n_children)
        {
          if (stack->len == 0)
            break;
          g_string_append_c (key, ')');
          list = g_array_index (stack, gpointer, stack->len - 1);
          i = g_array_index (positions, guint, positions->len - 1);
          g_array_set_size (stack, stack->len - 1);
          g_array_set_size (positions, positions->len - 1);
          continue;
        }

      child = list->children[i++];
      if (i > 1)
        g_string_append_c (key, ' ');
      if (child->type == CACHET_IMAP_VALUE_LIST)
        {
          g_string_append_c (key, '(');
          g_array_append_val (stack, list);
          g_array_append_val (positions, i);
          list = child;
          i = 0;
        }
      else if (child->type == CACHET_IMAP_VALUE_NIL)
        {
          g_string_append (key, "NIL");
        }
      else
        {
          g_autofree char *upper = g_ascii_strup (child->str, (gssize) child->length);

          g_string_append (key, upper);
        }
    }
  g_string_append_c (key, ']');

  return _cachet_imap_response_strndup (self->current, key->str, key->len);
}

/* Tokens ----------------------------------------------------------------- */

static gboolean
is_section_name (const guint8 *text,
                 gsize         length)
{
  static const char * const names[] = { "BODY", "BINARY", "BINARY.SIZE" };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if (strlen (names[i]) == length &&
          g_ascii_strncasecmp ((const char *) text, names[i], length) == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
parse_quoted (CachetImapParser  *self,
              Cursor            *c,
              GError           **error)
{
  gsize start = c->pos;
  gsize end;
  gsize length = 0;
  char *text;
  CachetImapValue *value;

  if (!count_element (self, error))
    return FALSE;

  /* Find the end first, so that the copy is sized to this string and not to
   * the rest of the line. */
  for (end = start + 1; end < c->length && c->data[end] != '"'; end++)
    {
      if (c->data[end] != '\\')
        continue;
      end++;
      if (end < c->length && c->data[end] != '\\' && c->data[end] != '"')
        {
          c->pos = end;
          return cursor_error (c, error, "invalid escape in quoted string");
        }
    }
  if (end >= c->length)
    return cursor_error (c, error, "unterminated quoted string");

  text = _cachet_imap_response_alloc (self->current, end - start);
  for (gsize i = start + 1; i < end; i++)
    {
      if (c->data[i] == '\\')
        i++;
      text[length++] = (char) c->data[i];
    }
  text[length] = '\0';
  c->pos = end + 1;

  value = _cachet_imap_response_new_value (self->current, CACHET_IMAP_VALUE_QUOTED);
  value->str = text;
  value->length = length;
  g_ptr_array_add (self->pending, value);
  self->after = AFTER_VALUE;
  return TRUE;
}

static gboolean
parse_literal_marker (CachetImapParser  *self,
                      Cursor            *c,
                      GError           **error)
{
  gsize start = c->pos;
  guint64 size = 0;
  gsize digits = 0;

  if (self->open_sections > 0 || g_array_index (self->frames, Frame, 0).kind == FRAME_CODE)
    return cursor_error (c, error, "literal not allowed here");

  if (c->data[c->pos] == '~')
    c->pos++;
  c->pos++;
  for (; c->pos < c->length && g_ascii_isdigit (c->data[c->pos]); c->pos++)
    {
      guint digit = (guint) (c->data[c->pos] - '0');

      if (++digits > LITERAL_SIZE_MAX_DIGITS || size > (G_MAXUINT64 - digit) / 10)
        {
          c->pos = start;
          return cursor_error (c, error, "literal size out of range");
        }
      size = size * 10 + digit;
    }
  if (digits == 0 || c->pos == c->length || c->data[c->pos] != '}')
    {
      c->pos = start;
      return cursor_error (c, error, "invalid literal size");
    }
  c->pos++;
  if (c->pos != c->length)
    return cursor_error (c, error, "literal size not followed by CRLF");

  if (size > self->limits.max_literal_size || size >= G_MAXSIZE)
    {
      g_set_error (error, CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_LIMIT_EXCEEDED,
                   "IMAP literal of %" G_GUINT64_FORMAT " bytes at byte %" G_GUINT64_FORMAT
                   " is larger than the limit of %" G_GUINT64_FORMAT " bytes",
                   size, c->offset + start, self->limits.max_literal_size);
      return FALSE;
    }
  if (!count_element (self, error))
    return FALSE;

  self->literal_size = (gsize) size;
  return TRUE;
}

static gboolean
parse_section_origin (CachetImapParser  *self,
                      Cursor            *c,
                      CachetImapValue   *section,
                      GError           **error)
{
  gsize start = c->pos;
  guint64 origin = 0;

  for (c->pos++; c->pos < c->length && g_ascii_isdigit (c->data[c->pos]); c->pos++)
    {
      origin = origin * 10 + (guint64) (c->data[c->pos] - '0');
      if (origin > G_MAXUINT32)
        {
          c->pos = start;
          return cursor_error (c, error, "section origin out of range");
        }
    }
  if (c->pos == start + 1 || c->pos == c->length || c->data[c->pos] != '>')
    {
      c->pos = start;
      return cursor_error (c, error, "invalid section origin");
    }
  c->pos++;

  section->number = origin;
  section->has_origin = TRUE;
  return TRUE;
}

static gboolean
close_section (CachetImapParser  *self,
               Cursor            *c,
               GError           **error)
{
  const char *name = top_frame (self)->name;
  CachetImapValue *section = close_frame (self, CACHET_IMAP_VALUE_SECTION);

  self->open_sections--;
  section->str = section_key (self, name, section);
  section->length = strlen (section->str);
  g_ptr_array_add (self->pending, section);

  c->pos++;
  self->after = AFTER_VALUE;
  if (c->pos < c->length && c->data[c->pos] == '<')
    return parse_section_origin (self, c, section, error);
  return TRUE;
}

static gboolean
parse_atom (CachetImapParser  *self,
            Cursor            *c,
            GError           **error)
{
  gsize start = c->pos;
  guint brackets = 0;
  const guint8 *text = c->data + start;
  gsize length;
  guint64 number = 0;
  gboolean is_number = TRUE;
  CachetImapValue *value;

  for (; c->pos < c->length; c->pos++)
    {
      guint8 ch = c->data[c->pos];

      if (ch == '[')
        {
          if (brackets == 0 && is_section_name (text, c->pos - start))
            {
              g_autofree char *name = g_ascii_strup ((const char *) text,
                                                     (gssize) (c->pos - start));

              if (self->open_sections > 0)
                return cursor_error (c, error, "section inside a section");
              if (!open_frame (self, c, FRAME_SECTION,
                               _cachet_imap_response_strndup (self->current, name, strlen (name)),
                               error))
                return FALSE;
              self->open_sections++;
              c->pos++;
              self->after = AFTER_SEPARATOR;
              return TRUE;
            }
          brackets++;
        }
      else if (ch == ']')
        {
          if (brackets == 0)
            break;
          brackets--;
        }
      else if (!is_atom_char (ch))
        {
          break;
        }
    }

  length = c->pos - start;
  if (length == 0)
    return cursor_error (c, error, "unexpected character");
  if (!count_element (self, error))
    return FALSE;

  /* Digits that do not fit in 64 bits stay an atom: a mailbox may be called
   * that, and the items that must be numbers are checked later. */
  for (gsize i = 0; i < length && is_number; i++)
    {
      guint digit = (guint) (text[i] - '0');

      if (!g_ascii_isdigit (text[i]) || number > (G_MAXUINT64 - digit) / 10)
        is_number = FALSE;
      else
        number = number * 10 + digit;
    }

  if (is_number)
    {
      value = new_value (self, CACHET_IMAP_VALUE_NUMBER, text, length);
      value->number = number;
    }
  else if (length == 3 && g_ascii_strncasecmp ((const char *) text, "NIL", 3) == 0)
    {
      value = new_value (self, CACHET_IMAP_VALUE_NIL, text, length);
    }
  else
    {
      value = new_value (self, CACHET_IMAP_VALUE_ATOM, text, length);
    }
  g_ptr_array_add (self->pending, value);
  self->after = AFTER_VALUE;
  return TRUE;
}

/* Reads values up to the end of the line, a literal marker, or the "]" that
 * closes a response code. */
static TokensResult
parse_tokens (CachetImapParser  *self,
              Cursor            *c,
              GError           **error)
{
  while (c->pos < c->length)
    {
      guint8 ch = c->data[c->pos];
      FrameKind kind = top_frame (self)->kind;
      gboolean ok;

      if (ch == ' ')
        {
          c->pos++;
          self->after = AFTER_SEPARATOR;
          continue;
        }

      if (ch == ')' && kind == FRAME_LIST)
        {
          g_ptr_array_add (self->pending, close_frame (self, CACHET_IMAP_VALUE_LIST));
          c->pos++;
          self->after = AFTER_LIST;
          continue;
        }
      if (ch == ']' && kind == FRAME_SECTION)
        {
          if (!close_section (self, c, error))
            return TOKENS_ERROR;
          continue;
        }
      if (ch == ']' && kind == FRAME_CODE)
        {
          c->pos++;
          return TOKENS_CODE_END;
        }
      if (ch == ')' || ch == ']')
        {
          cursor_error (c, error, ch == ')' ? "unexpected \")\"" : "unexpected \"]\"");
          return TOKENS_ERROR;
        }

      if (self->after == AFTER_VALUE || (self->after == AFTER_LIST && ch != '('))
        {
          cursor_error (c, error, "missing space between values");
          return TOKENS_ERROR;
        }

      if (ch == '(')
        {
          ok = open_frame (self, c, FRAME_LIST, NULL, error);
          c->pos++;
          self->after = AFTER_SEPARATOR;
        }
      else if (ch == '"')
        {
          ok = parse_quoted (self, c, error);
        }
      else if (ch == '{' || (ch == '~' && c->pos + 1 < c->length && c->data[c->pos + 1] == '{'))
        {
          if (!parse_literal_marker (self, c, error))
            return TOKENS_ERROR;
          return TOKENS_LITERAL;
        }
      else
        {
          ok = parse_atom (self, c, error);
        }

      if (!ok)
        return TOKENS_ERROR;
    }

  switch (top_frame (self)->kind)
    {
    case FRAME_ROOT:
      return TOKENS_END_OF_LINE;
    case FRAME_CODE:
      cursor_error (c, error, "unterminated response code");
      return TOKENS_ERROR;
    case FRAME_LIST:
      cursor_error (c, error, "unterminated list");
      return TOKENS_ERROR;
    case FRAME_SECTION:
    default:
      cursor_error (c, error, "unterminated section");
      return TOKENS_ERROR;
    }
}

/* Checks of response shapes ------------------------------------------------ */

static inline gboolean
is_word (const CachetImapValue *value)
{
  return value->type == CACHET_IMAP_VALUE_ATOM || value->type == CACHET_IMAP_VALUE_NUMBER;
}

static gboolean
is_word_list (const CachetImapValue *value)
{
  if (value->type != CACHET_IMAP_VALUE_LIST)
    return FALSE;
  for (guint i = 0; i < value->n_children; i++)
    {
      if (!is_word (value->children[i]))
        return FALSE;
    }
  return TRUE;
}

static inline gboolean
is_number_below (const CachetImapValue *value,
                 guint64                max,
                 gboolean               nonzero)
{
  return value->type == CACHET_IMAP_VALUE_NUMBER && value->number <= max &&
         (!nonzero || value->number > 0);
}

static inline gboolean
is_nstring (const CachetImapValue *value)
{
  return value->type == CACHET_IMAP_VALUE_QUOTED || value->type == CACHET_IMAP_VALUE_LITERAL ||
         value->type == CACHET_IMAP_VALUE_NIL;
}

/* A mailbox name: any astring; NIL is how a name "NIL" would look as an atom.
 * NUL cannot be part of a name. */
static inline gboolean
is_mailbox (const CachetImapValue *value)
{
  return is_word (value) || value->type == CACHET_IMAP_VALUE_QUOTED ||
         value->type == CACHET_IMAP_VALUE_NIL ||
         (value->type == CACHET_IMAP_VALUE_LITERAL && !value->has_nul);
}

static gboolean
is_sequence_set (const CachetImapValue *value)
{
  g_autoptr(GArray) ranges = NULL;

  if (!is_word (value))
    return FALSE;
  ranges = cachet_imap_sequence_set_parse (value->str, NULL);
  return ranges != NULL;
}

static const char *
check_fetch_item (const CachetImapValue *name,
                  const CachetImapValue *value)
{
  if (name->type == CACHET_IMAP_VALUE_SECTION)
    {
      if (g_str_has_prefix (name->str, "BINARY.SIZE["))
        return is_number_below (value, G_MAXUINT32, FALSE) ? NULL : "BINARY.SIZE must be a number";
      return is_nstring (value) ? NULL : "section data must be a string or NIL";
    }
  if (name->type != CACHET_IMAP_VALUE_ATOM)
    return "FETCH item name expected";

  if (g_ascii_strcasecmp (name->str, "UID") == 0)
    return is_number_below (value, G_MAXUINT32, TRUE)
           ? NULL : "UID must be a non-zero 32-bit number";
  if (g_ascii_strcasecmp (name->str, "RFC822.SIZE") == 0)
    return is_number_below (value, G_MAXINT64, FALSE) ? NULL : "RFC822.SIZE must be a number";
  if (g_ascii_strcasecmp (name->str, "FLAGS") == 0)
    return is_word_list (value) ? NULL : "FLAGS must be a list of flags";
  /* Zoho sends MODSEQ (-1): kept as an atom, it reads as "no mod-sequence"
   * through cachet_imap_response_get_fetch_number(). */
  if (g_ascii_strcasecmp (name->str, "MODSEQ") == 0)
    return value->type == CACHET_IMAP_VALUE_LIST && value->n_children == 1 &&
           (is_number_below (value->children[0], G_MAXINT64, FALSE) ||
            value->children[0]->type == CACHET_IMAP_VALUE_ATOM)
           ? NULL : "MODSEQ must be a list of one number";
  if (g_ascii_strcasecmp (name->str, "INTERNALDATE") == 0)
    return value->type == CACHET_IMAP_VALUE_QUOTED ? NULL : "INTERNALDATE must be a quoted string";
  if (g_ascii_strcasecmp (name->str, "ENVELOPE") == 0 ||
      g_ascii_strcasecmp (name->str, "BODYSTRUCTURE") == 0 ||
      g_ascii_strcasecmp (name->str, "BODY") == 0)
    return value->type == CACHET_IMAP_VALUE_LIST
           ? NULL : "ENVELOPE and BODYSTRUCTURE must be lists";
  if (g_ascii_strcasecmp (name->str, "RFC822") == 0 ||
      g_ascii_strcasecmp (name->str, "RFC822.HEADER") == 0 ||
      g_ascii_strcasecmp (name->str, "RFC822.TEXT") == 0)
    return is_nstring (value) ? NULL : "message data must be a string or NIL";
  return NULL;
}

static const char *
check_fetch (const CachetImapValue *data)
{
  const CachetImapValue *items;

  if (data->n_children != 1 || data->children[0]->type != CACHET_IMAP_VALUE_LIST)
    return "FETCH data must be one list";
  items = data->children[0];
  if (items->n_children % 2 != 0)
    return "FETCH item without a value";
  for (guint i = 0; i < items->n_children; i += 2)
    {
      const char *problem = check_fetch_item (items->children[i], items->children[i + 1]);

      if (problem != NULL)
        return problem;
    }
  return NULL;
}

static const char *
check_list (const CachetImapValue *data)
{
  const CachetImapValue *delimiter;

  if (data->n_children < 3 || data->n_children > 4)
    return "LIST needs attributes, a delimiter and a name";
  if (!is_word_list (data->children[0]))
    return "LIST attributes must be a list of atoms";
  /* Some servers write a flat namespace as "" rather than NIL. */
  delimiter = data->children[1];
  if (delimiter->type != CACHET_IMAP_VALUE_NIL &&
      (delimiter->type != CACHET_IMAP_VALUE_QUOTED || delimiter->length > 1))
    return "LIST delimiter must be one quoted character or NIL";
  if (!is_mailbox (data->children[2]))
    return "invalid mailbox name";
  if (data->n_children == 4 && data->children[3]->type != CACHET_IMAP_VALUE_LIST)
    return "LIST extended data must be a list";
  return NULL;
}

static const char *
check_mailbox_status (const CachetImapValue *data)
{
  const CachetImapValue *items;

  if (data->n_children != 2 || !is_mailbox (data->children[0]) ||
      data->children[1]->type != CACHET_IMAP_VALUE_LIST)
    return "STATUS needs a mailbox name and a list";
  items = data->children[1];
  if (items->n_children % 2 != 0)
    return "STATUS item without a value";
  for (guint i = 0; i < items->n_children; i += 2)
    {
      if (items->children[i]->type != CACHET_IMAP_VALUE_ATOM)
        return "STATUS item name expected";
    }
  return NULL;
}

static const char *
check_search (const CachetImapValue *data)
{
  for (guint i = 0; i < data->n_children; i++)
    {
      const CachetImapValue *child = data->children[i];

      /* CONDSTORE ends the list with (MODSEQ n). */
      if (i == data->n_children - 1 && child->type == CACHET_IMAP_VALUE_LIST &&
          child->n_children == 2 && child->children[0]->type == CACHET_IMAP_VALUE_ATOM &&
          g_ascii_strcasecmp (child->children[0]->str, "MODSEQ") == 0 &&
          is_number_below (child->children[1], G_MAXINT64, FALSE))
        continue;
      if (!is_number_below (child, G_MAXUINT32, TRUE))
        return "SEARCH results must be non-zero 32-bit numbers";
    }
  return NULL;
}

static const char *
check_vanished (const CachetImapValue *data)
{
  if (data->n_children == 2)
    {
      const CachetImapValue *tag = data->children[0];

      if (tag->type != CACHET_IMAP_VALUE_LIST || tag->n_children != 1 ||
          tag->children[0]->type != CACHET_IMAP_VALUE_ATOM ||
          g_ascii_strcasecmp (tag->children[0]->str, "EARLIER") != 0)
        return "VANISHED takes only (EARLIER) before the UIDs";
    }
  else if (data->n_children != 1)
    {
      return "VANISHED needs one set of UIDs";
    }
  return is_sequence_set (data->children[data->n_children - 1]) ? NULL : "invalid set of UIDs";
}

static const char *
check_data (CachetImapResponseType  type,
            const CachetImapValue  *data)
{
  switch (type)
    {
    case CACHET_IMAP_RESPONSE_CAPABILITY:
    case CACHET_IMAP_RESPONSE_ENABLED:
      for (guint i = 0; i < data->n_children; i++)
        {
          if (!is_word (data->children[i]))
            return "capabilities must be atoms";
        }
      return NULL;
    case CACHET_IMAP_RESPONSE_LIST:
    case CACHET_IMAP_RESPONSE_LSUB:
      return check_list (data);
    case CACHET_IMAP_RESPONSE_MAILBOX_STATUS:
      return check_mailbox_status (data);
    case CACHET_IMAP_RESPONSE_FLAGS:
      return data->n_children == 1 && is_word_list (data->children[0])
             ? NULL : "FLAGS must be one list of flags";
    case CACHET_IMAP_RESPONSE_EXISTS:
    case CACHET_IMAP_RESPONSE_RECENT:
    case CACHET_IMAP_RESPONSE_EXPUNGE:
      return data->n_children == 0 ? NULL : "unexpected data after the response name";
    case CACHET_IMAP_RESPONSE_FETCH:
      return check_fetch (data);
    case CACHET_IMAP_RESPONSE_SEARCH:
      return check_search (data);
    case CACHET_IMAP_RESPONSE_VANISHED:
      return check_vanished (data);
    case CACHET_IMAP_RESPONSE_ESEARCH:
    case CACHET_IMAP_RESPONSE_OTHER:
    case CACHET_IMAP_RESPONSE_STATUS:
    case CACHET_IMAP_RESPONSE_CONTINUATION:
    default:
      return NULL;
    }
}

static const char *
check_code (CachetImapResponseCode  code,
            const CachetImapValue  *args)
{
  guint n = args->n_children;

  if (code == CACHET_IMAP_RESPONSE_CODE_UIDNEXT ||
      code == CACHET_IMAP_RESPONSE_CODE_UIDVALIDITY ||
      code == CACHET_IMAP_RESPONSE_CODE_UNSEEN)
    return n == 1 && is_number_below (args->children[0], G_MAXUINT32, FALSE)
           ? NULL : "response code needs one 32-bit number";
  if (code == CACHET_IMAP_RESPONSE_CODE_HIGHESTMODSEQ)
    return n == 1 && is_number_below (args->children[0], G_MAXINT64, FALSE)
           ? NULL : "HIGHESTMODSEQ needs one number";
  if (code == CACHET_IMAP_RESPONSE_CODE_CAPABILITY)
    return is_word_list (args) ? NULL : "capabilities must be atoms";
  if (code == CACHET_IMAP_RESPONSE_CODE_PERMANENTFLAGS)
    return n == 1 && is_word_list (args->children[0])
           ? NULL : "PERMANENTFLAGS needs a list of flags";
  if (code == CACHET_IMAP_RESPONSE_CODE_BADCHARSET)
    return n == 0 || (n == 1 && args->children[0]->type == CACHET_IMAP_VALUE_LIST)
           ? NULL : "BADCHARSET takes one list of charsets";
  if (code == CACHET_IMAP_RESPONSE_CODE_APPENDUID)
    return n == 2 && is_number_below (args->children[0], G_MAXUINT32, TRUE) &&
           is_sequence_set (args->children[1])
           ? NULL : "APPENDUID needs a UIDVALIDITY and a set of UIDs";
  if (code == CACHET_IMAP_RESPONSE_CODE_COPYUID)
    return n == 3 && is_number_below (args->children[0], G_MAXUINT32, TRUE) &&
           is_sequence_set (args->children[1]) && is_sequence_set (args->children[2])
           ? NULL : "COPYUID needs a UIDVALIDITY and two sets of UIDs";
  if (code == CACHET_IMAP_RESPONSE_CODE_MODIFIED)
    return n == 1 && is_sequence_set (args->children[0]) ? NULL : "MODIFIED needs a set";
  return NULL;
}

/* The first line ---------------------------------------------------------- */

static gsize
scan (const Cursor *c,
      gboolean    (*is_char) (guint8))
{
  gsize end = c->pos;

  while (end < c->length && is_char (c->data[end]))
    end++;
  return end - c->pos;
}

static gboolean
expect_space (Cursor      *c,
              GError     **error,
              const char  *reason)
{
  if (c->pos >= c->length || c->data[c->pos] != ' ')
    {
      cursor_error (c, error, reason);
      return FALSE;
    }
  c->pos++;
  return TRUE;
}

/* Text that may reach the user, as valid UTF-8. */
static const char *
dup_text (CachetImapParser *self,
          const guint8     *data,
          gsize             length)
{
  const char *text = (const char *) data;
  g_autofree char *valid = NULL;

  if (g_utf8_validate_len (text, length, NULL))
    return _cachet_imap_response_strndup (self->current, text, length);

  valid = g_utf8_make_valid (text, (gssize) length);
  return _cachet_imap_response_strndup (self->current, valid, strlen (valid));
}

static void
take_text (CachetImapParser *self,
           Cursor           *c)
{
  self->current->text = dup_text (self, c->data + c->pos, c->length - c->pos);
  c->pos = c->length;
}

static gboolean
parse_code (CachetImapParser  *self,
            Cursor            *c,
            GError           **error)
{
  CachetImapResponse *response = self->current;
  gsize start = ++c->pos;
  gsize length = scan (c, is_name_char);
  gboolean has_syntax = FALSE;
  g_autofree char *name = NULL;

  if (length == 0)
    {
      cursor_error (c, error, "response code expected");
      return FALSE;
    }
  name = g_ascii_strup ((const char *) c->data + start, (gssize) length);
  c->pos += length;

  response->code = CACHET_IMAP_RESPONSE_CODE_OTHER;
  response->code_name = _cachet_imap_response_strndup (response, name, length);
  for (gsize i = 0; i < G_N_ELEMENTS (response_codes); i++)
    {
      if (strcmp (name, response_codes[i].name) == 0)
        {
          response->code = response_codes[i].code;
          has_syntax = response_codes[i].has_syntax;
        }
    }

  if (c->pos < c->length && c->data[c->pos] == ']')
    {
      c->pos++;
    }
  else if (c->pos < c->length && c->data[c->pos] == ' ' && !has_syntax)
    {
      const guint8 *end = memchr (c->data + c->pos, ']', c->length - c->pos);

      if (end == NULL)
        {
          cursor_error (c, error, "unterminated response code");
          return FALSE;
        }
      c->pos++;
      response->code_text = dup_text (self, c->data + c->pos, (gsize) (end - c->data) - c->pos);
      c->pos = (gsize) (end - c->data) + 1;
    }
  else if (c->pos < c->length && c->data[c->pos] == ' ')
    {
      Frame frame = { FRAME_CODE, 0, NULL };

      c->pos++;
      g_array_append_val (self->frames, frame);
      self->after = AFTER_SEPARATOR;
      if (parse_tokens (self, c, error) != TOKENS_CODE_END)
        return FALSE;
      response->code_args = close_frame (self, CACHET_IMAP_VALUE_LIST);
    }
  else
    {
      cursor_error (c, error, c->pos < c->length ? "invalid character in response code"
                                                 : "unterminated response code");
      return FALSE;
    }

  if (has_syntax)
    {
      const char *problem;

      if (response->code_args == NULL)
        response->code_args = _cachet_imap_response_new_value (response, CACHET_IMAP_VALUE_LIST);
      problem = check_code (response->code, response->code_args);
      if (problem != NULL)
        {
          set_parse_error (error, c->offset + start, "%s", problem);
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
parse_resp_text (CachetImapParser  *self,
                 Cursor            *c,
                 GError           **error)
{
  if (c->pos < c->length)
    {
      if (!expect_space (c, error, "space expected after status"))
        return FALSE;
      if (c->pos < c->length && c->data[c->pos] == '[')
        {
          if (!parse_code (self, c, error))
            return FALSE;
          if (c->pos < c->length && !expect_space (c, error, "space expected after response code"))
            return FALSE;
        }
    }

  take_text (self, c);
  return TRUE;
}

static gboolean
lookup_status (const char       *name,
               CachetImapStatus *status)
{
  for (gsize i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      if (strcmp (name, statuses[i].name) == 0)
        {
          *status = statuses[i].status;
          return TRUE;
        }
    }
  return FALSE;
}

/* Reads the tag or "*", the number and the name of the response, and for a
 * status response or a continuation request the rest of the line. Sets
 * @needs_tokens when values follow, which parse_tokens() reads. */
static gboolean
parse_head (CachetImapParser  *self,
            Cursor            *c,
            gboolean          *needs_tokens,
            GError           **error)
{
  CachetImapResponse *response = self->current;
  Frame root = { FRAME_ROOT, 0, NULL };
  g_autofree char *name = NULL;
  gsize length;

  *needs_tokens = FALSE;

  if (c->length == 0)
    {
      cursor_error (c, error, "empty line");
      return FALSE;
    }

  if (c->data[0] == '+')
    {
      response->type = CACHET_IMAP_RESPONSE_CONTINUATION;
      c->pos = 1;
      if (c->pos < c->length && !expect_space (c, error, "space expected after \"+\""))
        return FALSE;
      take_text (self, c);
      return TRUE;
    }

  if (c->data[0] == '*')
    {
      c->pos = 1;
      if (!expect_space (c, error, "space expected after \"*\""))
        return FALSE;

      if (c->pos < c->length && g_ascii_isdigit (c->data[c->pos]))
        {
          gsize start = c->pos;

          for (; c->pos < c->length && g_ascii_isdigit (c->data[c->pos]); c->pos++)
            {
              response->number = response->number * 10 + (guint64) (c->data[c->pos] - '0');
              if (response->number > G_MAXUINT32)
                {
                  c->pos = start;
                  cursor_error (c, error, "message number out of range");
                  return FALSE;
                }
            }
          response->has_number = TRUE;
          if (!expect_space (c, error, "space expected after message number"))
            return FALSE;
        }
    }
  else
    {
      length = scan (c, is_tag_char);
      if (length == 0)
        {
          cursor_error (c, error, "invalid tag");
          return FALSE;
        }
      response->tag = _cachet_imap_response_strndup (response, (const char *) c->data, length);
      c->pos = length;
      if (!expect_space (c, error, "invalid character in tag"))
        return FALSE;
    }

  length = scan (c, is_name_char);
  if (length == 0)
    {
      cursor_error (c, error, "response name expected");
      return FALSE;
    }
  name = g_ascii_strup ((const char *) c->data + c->pos, (gssize) length);
  response->name = _cachet_imap_response_strndup (response, name, length);
  c->pos += length;
  if (c->pos < c->length && c->data[c->pos] != ' ')
    {
      cursor_error (c, error, "invalid character in response name");
      return FALSE;
    }

  if (!response->has_number && lookup_status (name, &response->status))
    {
      if (response->tag != NULL &&
          response->status != CACHET_IMAP_STATUS_OK &&
          response->status != CACHET_IMAP_STATUS_NO &&
          response->status != CACHET_IMAP_STATUS_BAD)
        {
          cursor_error (c, error, "tagged response must be OK, NO or BAD");
          return FALSE;
        }
      response->type = CACHET_IMAP_RESPONSE_STATUS;
      return parse_resp_text (self, c, error);
    }

  if (response->tag != NULL)
    {
      cursor_error (c, error, "tagged response must be OK, NO or BAD");
      return FALSE;
    }

  response->type = CACHET_IMAP_RESPONSE_OTHER;
  if (response->has_number)
    {
      for (gsize i = 0; i < G_N_ELEMENTS (numbered_responses); i++)
        {
          if (strcmp (name, numbered_responses[i].name) == 0)
            response->type = numbered_responses[i].type;
        }
      if ((response->type == CACHET_IMAP_RESPONSE_FETCH ||
           response->type == CACHET_IMAP_RESPONSE_EXPUNGE) && response->number == 0)
        {
          set_parse_error (error, self->response_offset, "message number 0");
          return FALSE;
        }
    }
  else
    {
      for (gsize i = 0; i < G_N_ELEMENTS (data_responses); i++)
        {
          if (strcmp (name, data_responses[i].name) == 0)
            response->type = data_responses[i].type;
        }
    }

  g_array_append_val (self->frames, root);
  self->after = AFTER_SEPARATOR;
  *needs_tokens = TRUE;
  return TRUE;
}

/* Framing ----------------------------------------------------------------- */

static void
reset_response (CachetImapParser *self)
{
  g_clear_pointer (&self->current, cachet_imap_response_unref);
  g_clear_pointer (&self->literal, g_free);
  self->in_literal = FALSE;
  self->response_bytes = 0;
  self->n_elements = 0;
  self->open_sections = 0;
  g_array_set_size (self->frames, 0);
  g_ptr_array_set_size (self->pending, 0);
}

static gboolean
finish_response (CachetImapParser  *self,
                 GError           **error)
{
  CachetImapResponse *response = self->current;

  if (self->frames->len > 0)
    {
      const char *problem;

      response->data = close_frame (self, CACHET_IMAP_VALUE_LIST);
      problem = check_data (response->type, response->data);
      if (problem != NULL)
        {
          set_parse_error (error, self->response_offset, "%s", problem);
          return FALSE;
        }
    }

  g_queue_push_tail (&self->responses, g_steal_pointer (&self->current));
  reset_response (self);
  return TRUE;
}

static void
finish_literal (CachetImapParser *self)
{
  CachetImapValue *value = _cachet_imap_response_new_value (self->current,
                                                            CACHET_IMAP_VALUE_LITERAL);

  /* The buffer has room for one more byte: a NUL, so that the literal can be
   * read as a string without a copy. */
  self->literal[self->literal_length] = '\0';
  _cachet_imap_response_take_literal (self->current, value,
                                      g_bytes_new_take (g_steal_pointer (&self->literal),
                                                        self->literal_length));
  g_ptr_array_add (self->pending, value);
  self->in_literal = FALSE;
  self->after = AFTER_VALUE;
}

static void
start_literal (CachetImapParser *self)
{
  self->in_literal = TRUE;
  self->literal_length = 0;
  self->literal_allocated = MIN (self->literal_size + 1, LITERAL_FIRST_ALLOCATION);
  self->literal = g_malloc (self->literal_allocated);
  if (self->literal_size == 0)
    finish_literal (self);
}

static gsize
feed_literal (CachetImapParser *self,
              const guint8     *data,
              gsize             length)
{
  gsize take = MIN (length, self->literal_size - self->literal_length);
  gsize needed = self->literal_length + take + 1;

  if (needed > self->literal_allocated)
    {
      /* Doubling keeps the copies linear in the literal's size; the cap
       * keeps the buffer exact once the whole literal is in. */
      self->literal_allocated = MIN (MAX (self->literal_allocated * 2, needed),
                                     self->literal_size + 1);
      self->literal = g_realloc (self->literal, self->literal_allocated);
    }
  memcpy (self->literal + self->literal_length, data, take);
  self->literal_length += take;

  if (self->literal_length == self->literal_size)
    finish_literal (self);
  return take;
}

static gboolean
process_segment (CachetImapParser  *self,
                 const guint8      *segment,
                 gsize              length,
                 guint64            offset,
                 GError           **error)
{
  Cursor c = { segment, 0, 0, offset };
  const guint8 *bad;

  if (length < 2 || segment[length - 2] != '\r')
    {
      set_parse_error (error, offset + length - 1, "line ends with a bare LF");
      return FALSE;
    }
  c.length = length - 2;
  if ((bad = memchr (segment, '\0', c.length)) != NULL)
    {
      set_parse_error (error, offset + (guint64) (bad - segment), "NUL byte outside a literal");
      return FALSE;
    }
  if ((bad = memchr (segment, '\r', c.length)) != NULL)
    {
      set_parse_error (error, offset + (guint64) (bad - segment), "CR not followed by LF");
      return FALSE;
    }

  self->response_bytes += length;

  if (self->current == NULL)
    {
      gboolean needs_tokens;

      self->current = _cachet_imap_response_new ();
      self->response_offset = offset;
      if (!parse_head (self, &c, &needs_tokens, error))
        return FALSE;
      if (!needs_tokens)
        return finish_response (self, error);
    }

  switch (parse_tokens (self, &c, error))
    {
    case TOKENS_END_OF_LINE:
      return finish_response (self, error);
    case TOKENS_LITERAL:
      start_literal (self);
      return TRUE;
    case TOKENS_CODE_END:
    case TOKENS_ERROR:
    default:
      return FALSE;
    }
}

static gboolean
feed_line (CachetImapParser  *self,
           const guint8      *data,
           gsize              length,
           gsize             *used,
           GError           **error)
{
  const guint8 *lf = memchr (data, '\n', length);
  gsize take = lf != NULL ? (gsize) (lf - data) + 1 : length;
  guint64 line_offset = self->offset - self->line->len;
  gboolean ok;

  if (self->response_bytes + self->line->len + take > self->limits.max_line_length)
    {
      g_set_error (error, CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_LIMIT_EXCEEDED,
                   "IMAP response at byte %" G_GUINT64_FORMAT " is longer than %" G_GSIZE_FORMAT
                   " bytes outside literals",
                   self->current != NULL ? self->response_offset : line_offset,
                   self->limits.max_line_length);
      return FALSE;
    }

  *used = take;
  if (lf == NULL)
    {
      g_byte_array_append (self->line, data, (guint) take);
      return TRUE;
    }

  /* A line that arrives whole is read where it is, without a copy. */
  if (self->line->len == 0)
    return process_segment (self, data, take, line_offset, error);

  g_byte_array_append (self->line, data, (guint) take);
  ok = process_segment (self, self->line->data, self->line->len, line_offset, error);
  g_byte_array_set_size (self->line, 0);
  return ok;
}

/* GObject ----------------------------------------------------------------- */

static void
cachet_imap_parser_finalize (GObject *object)
{
  CachetImapParser *self = CACHET_IMAP_PARSER (object);

  reset_response (self);
  g_queue_clear_full (&self->responses, (GDestroyNotify) cachet_imap_response_unref);
  g_clear_error (&self->error);
  g_clear_pointer (&self->line, g_byte_array_unref);
  g_clear_pointer (&self->frames, g_array_unref);
  g_clear_pointer (&self->pending, g_ptr_array_unref);

  G_OBJECT_CLASS (cachet_imap_parser_parent_class)->finalize (object);
}

static void
cachet_imap_parser_class_init (CachetImapParserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cachet_imap_parser_finalize;
}

static void
cachet_imap_parser_init (CachetImapParser *self)
{
  cachet_imap_parser_limits_init (&self->limits);
  g_queue_init (&self->responses);
  self->line = g_byte_array_new ();
  self->frames = g_array_new (FALSE, FALSE, sizeof (Frame));
  self->pending = g_ptr_array_new ();
}

/* API --------------------------------------------------------------------- */

static void
apply_limits (CachetImapParser             *self,
              const CachetImapParserLimits *limits)
{
  self->limits = *limits;
  /* A line is held in a GByteArray, whose length is a guint. */
  self->limits.max_line_length = MIN (self->limits.max_line_length, (gsize) G_MAXUINT / 2);
}

/**
 * cachet_imap_parser_limits_init:
 * @limits: (out caller-allocates): the limits to fill in
 *
 * Fills @limits with the defaults, ready to be adjusted.
 */
void
cachet_imap_parser_limits_init (CachetImapParserLimits *limits)
{
  g_return_if_fail (limits != NULL);

  limits->max_line_length = CACHET_IMAP_PARSER_DEFAULT_MAX_LINE_LENGTH;
  limits->max_literal_size = CACHET_IMAP_PARSER_DEFAULT_MAX_LITERAL_SIZE;
  limits->max_depth = CACHET_IMAP_PARSER_DEFAULT_MAX_DEPTH;
  limits->max_elements = CACHET_IMAP_PARSER_DEFAULT_MAX_ELEMENTS;
}

/**
 * cachet_imap_parser_new:
 * @limits: (nullable): the bounds to enforce, or %NULL for the defaults
 *
 * Creates a parser for the responses of one connection.
 *
 * Returns: (transfer full): a new #CachetImapParser
 */
CachetImapParser *
cachet_imap_parser_new (const CachetImapParserLimits *limits)
{
  CachetImapParser *self = g_object_new (CACHET_TYPE_IMAP_PARSER, NULL);

  if (limits != NULL)
    apply_limits (self, limits);
  return self;
}

/**
 * cachet_imap_parser_get_limits:
 * @self: a #CachetImapParser
 * @limits: (out caller-allocates): where to store the bounds
 */
void
cachet_imap_parser_get_limits (CachetImapParser       *self,
                               CachetImapParserLimits *limits)
{
  g_return_if_fail (CACHET_IS_IMAP_PARSER (self));
  g_return_if_fail (limits != NULL);

  *limits = self->limits;
}

/**
 * cachet_imap_parser_set_limits:
 * @self: a #CachetImapParser
 * @limits: the new bounds
 *
 * Changes the bounds, from the next byte fed on. The session can, for
 * example, allow a literal as large as the RFC822.SIZE it was told, plus
 * some slack, before fetching a message.
 */
void
cachet_imap_parser_set_limits (CachetImapParser             *self,
                               const CachetImapParserLimits *limits)
{
  g_return_if_fail (CACHET_IS_IMAP_PARSER (self));
  g_return_if_fail (limits != NULL);

  apply_limits (self, limits);
}

/**
 * cachet_imap_parser_feed:
 * @self: a #CachetImapParser
 * @data: (array length=length): bytes received from the server
 * @length: how many
 * @error: return location for a #GError
 *
 * Parses the next bytes of the stream. They may be cut anywhere: the
 * responses are the same whatever the chunks. Complete responses are queued
 * for cachet_imap_parser_next_response().
 *
 * On failure, the responses completed before the faulty one stay queued, and
 * every later call fails with the same error: close the connection.
 *
 * Returns: %TRUE on success, %FALSE with %CACHET_IMAP_ERROR_PARSE or
 *   %CACHET_IMAP_ERROR_LIMIT_EXCEEDED
 */
gboolean
cachet_imap_parser_feed (CachetImapParser  *self,
                         const guint8      *data,
                         gsize              length,
                         GError           **error)
{
  g_return_val_if_fail (CACHET_IS_IMAP_PARSER (self), FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  while (self->error == NULL && length > 0)
    {
      gsize used;

      if (self->in_literal)
        {
          used = feed_literal (self, data, length);
        }
      else if (!feed_line (self, data, length, &used, &self->error))
        {
          reset_response (self);
          g_byte_array_set_size (self->line, 0);
          break;
        }

      self->offset += used;
      data += used;
      length -= used;
    }

  if (self->error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->error));
      return FALSE;
    }
  return TRUE;
}

/**
 * cachet_imap_parser_next_response:
 * @self: a #CachetImapParser
 *
 * Takes the oldest complete response.
 *
 * Returns: (transfer full) (nullable): a response, or %NULL if none is
 *   complete yet
 */
CachetImapResponse *
cachet_imap_parser_next_response (CachetImapParser *self)
{
  g_return_val_if_fail (CACHET_IS_IMAP_PARSER (self), NULL);

  return g_queue_pop_head (&self->responses);
}

/**
 * cachet_imap_parser_has_pending_data:
 * @self: a #CachetImapParser
 *
 * Tells whether anything was received that has not been taken: a queued
 * response or part of one. Before starting TLS, the session checks that this
 * is %FALSE: bytes that arrived before the handshake must not be read as if
 * they came through it.
 *
 * Returns: %TRUE if some data is pending
 */
gboolean
cachet_imap_parser_has_pending_data (CachetImapParser *self)
{
  g_return_val_if_fail (CACHET_IS_IMAP_PARSER (self), FALSE);

  return !g_queue_is_empty (&self->responses) || self->current != NULL || self->line->len > 0;
}
