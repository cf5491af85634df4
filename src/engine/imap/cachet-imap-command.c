/* cachet-imap-command.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cachet-imap-command.h"
#include "cachet-imap-error.h"
#include "cachet-imap-sequence-set.h"
#include "cachet-imap-utf7.h"

/* A command is written once, argument by argument, into parts: runs of
 * command text, and literals, which are kept as the caller's GBytes rather
 * than copied (an APPEND can carry a whole message). A synchronising literal
 * may only be sent once the server has answered its {n} with "+", so its
 * part is marked to wait for that.
 *
 * Nothing a caller passes can end the line early: atoms and quoted strings
 * refuse CR, LF and NUL, and strings that need them travel as literals,
 * whose length is announced. */

/* Longer strings go as literals: some servers cap their line length. */
#define QUOTED_MAX_LENGTH 1024

/* RFC 7888: LITERAL- allows non-synchronising literals up to this size. */
#define LITERAL_MINUS_MAX_SIZE 4096

typedef struct
{
  GBytes   *bytes;
  gboolean  wait_for_continuation;
} Part;

struct _CachetImapCommand
{
  GObject                 parent_instance;

  char                   *tag;
  CachetImapCommandFlags  flags;
  gboolean                redact;
  gboolean                need_space;
  guint                   depth;
  gboolean                ended;
  GByteArray             *current;
  GArray                 *parts;
  GString                *debug;
};

/**
 * CachetImapCommand:
 *
 * One command line, built argument by argument, then sent as parts: the
 * session sends the first part, and before each part marked to wait, waits
 * for the server's continuation request.
 */
G_DEFINE_FINAL_TYPE (CachetImapCommand, cachet_imap_command, G_TYPE_OBJECT)

static void
part_clear (gpointer data)
{
  Part *part = data;

  g_clear_pointer (&part->bytes, g_bytes_unref);
}

static void
cachet_imap_command_finalize (GObject *object)
{
  CachetImapCommand *self = CACHET_IMAP_COMMAND (object);

  g_clear_pointer (&self->tag, g_free);
  g_clear_pointer (&self->current, g_byte_array_unref);
  g_clear_pointer (&self->parts, g_array_unref);
  if (self->debug != NULL)
    g_string_free (g_steal_pointer (&self->debug), TRUE);

  G_OBJECT_CLASS (cachet_imap_command_parent_class)->finalize (object);
}

static void
cachet_imap_command_class_init (CachetImapCommandClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cachet_imap_command_finalize;
}

static void
cachet_imap_command_init (CachetImapCommand *self)
{
  self->current = g_byte_array_new ();
  self->parts = g_array_new (FALSE, FALSE, sizeof (Part));
  g_array_set_clear_func (self->parts, part_clear);
  self->debug = g_string_new (NULL);
}

static gboolean
is_tag_char (guchar c)
{
  return c > 0x20 && c < 0x7f && strchr ("(){%*\"\\+", c) == NULL;
}

/* RFC 9051 ATOM-CHAR, plus what the commands we write need in a bare word:
 * "\" (flags), "%" and "*" (patterns, sets), "]" (BODY.PEEK[]). */
static gboolean
is_atom_char (guchar c)
{
  return c > 0x20 && c < 0x7f && strchr ("(){\"", c) == NULL;
}

static gboolean
is_valid_word_list (const char *text,
                    gboolean  (*is_char) (guchar))
{
  const char *p = text;

  /* Words of at least one character, separated by single spaces. */
  for (;;)
    {
      const char *start = p;

      while (*p != '\0' && is_char ((guchar) *p))
        p++;
      if (p == start)
        return FALSE;
      if (*p == '\0')
        return TRUE;
      if (*p != ' ')
        return FALSE;
      p++;
    }
}

static gboolean
is_tag (const char *tag)
{
  return *tag != '\0' && strchr (tag, ' ') == NULL && is_valid_word_list (tag, is_tag_char);
}

/**
 * cachet_imap_command_new:
 * @tag: the command's tag, unique within the session
 * @name: the command, such as "NOOP" or "UID FETCH"
 * @flags: what the server supports and has enabled
 *
 * Starts a command. The tag and name come from the session, not from the
 * network, so they are checked with g_return_val_if_fail().
 *
 * LOGIN and AUTHENTICATE arguments never appear in
 * cachet_imap_command_to_string().
 *
 * Returns: (transfer full): a new #CachetImapCommand
 */
CachetImapCommand *
cachet_imap_command_new (const char             *tag,
                         const char             *name,
                         CachetImapCommandFlags  flags)
{
  CachetImapCommand *self;

  g_return_val_if_fail (tag != NULL && is_tag (tag), NULL);
  g_return_val_if_fail (name != NULL && is_valid_word_list (name, is_atom_char), NULL);

  self = g_object_new (CACHET_TYPE_IMAP_COMMAND, NULL);
  self->tag = g_strdup (tag);
  self->flags = flags;
  self->redact = g_ascii_strcasecmp (name, "LOGIN") == 0 ||
                 g_ascii_strcasecmp (name, "AUTHENTICATE") == 0;

  g_byte_array_append (self->current, (const guint8 *) tag, (guint) strlen (tag));
  g_byte_array_append (self->current, (const guint8 *) " ", 1);
  g_byte_array_append (self->current, (const guint8 *) name, (guint) strlen (name));
  g_string_append_printf (self->debug, "%s %s", tag, name);
  self->need_space = TRUE;

  return self;
}

/**
 * cachet_imap_command_get_tag:
 * @self: a #CachetImapCommand
 *
 * Returns: the tag, to match the server's tagged response
 */
const char *
cachet_imap_command_get_tag (CachetImapCommand *self)
{
  g_return_val_if_fail (CACHET_IS_IMAP_COMMAND (self), NULL);

  return self->tag;
}

static void
append_space (CachetImapCommand *self)
{
  if (self->need_space)
    {
      g_byte_array_append (self->current, (const guint8 *) " ", 1);
      g_string_append_c (self->debug, ' ');
    }
}

static void
append_text (CachetImapCommand *self,
             const char        *wire,
             gsize              length,
             const char        *debug)
{
  append_space (self);
  g_byte_array_append (self->current, (const guint8 *) wire, (guint) length);
  g_string_append (self->debug, self->redact ? "***" : debug);
  self->need_space = TRUE;
}

/* Closes the current run of text as a part of its own. */
static void
flush_current (CachetImapCommand *self)
{
  Part part;

  if (self->current->len == 0)
    return;
  part.bytes = g_byte_array_free_to_bytes (g_steal_pointer (&self->current));
  part.wait_for_continuation = FALSE;
  g_array_append_val (self->parts, part);
  self->current = g_byte_array_new ();
}

static void
append_literal (CachetImapCommand *self,
                GBytes            *bytes)
{
  gsize size = g_bytes_get_size (bytes);
  gboolean synchronising;
  g_autofree char *marker = NULL;
  g_autofree char *debug = NULL;
  Part part;

  synchronising = !(self->flags & CACHET_IMAP_COMMAND_LITERAL_PLUS) &&
                  !((self->flags & CACHET_IMAP_COMMAND_LITERAL_MINUS) &&
                    size <= LITERAL_MINUS_MAX_SIZE);

  marker = g_strdup_printf ("{%" G_GSIZE_FORMAT "%s}", size, synchronising ? "" : "+");
  debug = g_strdup_printf ("%s<%" G_GSIZE_FORMAT " bytes>", marker, size);
  append_text (self, marker, strlen (marker), debug);
  g_byte_array_append (self->current, (const guint8 *) "\r\n", 2);
  flush_current (self);

  part.bytes = g_bytes_ref (bytes);
  part.wait_for_continuation = synchronising;
  g_array_append_val (self->parts, part);
}

static void
append_quoted (CachetImapCommand *self,
               const char        *string,
               const char        *debug)
{
  g_autoptr(GString) quoted = g_string_sized_new (strlen (string) + 2);

  g_string_append_c (quoted, '"');
  for (const char *p = string; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (quoted, '\\');
      g_string_append_c (quoted, *p);
    }
  g_string_append_c (quoted, '"');

  append_text (self, quoted->str, quoted->len, debug);
}

/* Why @string cannot be a quoted string, or NULL if it can. */
static const char *
why_not_quoted (CachetImapCommand *self,
                const char        *string)
{
  gboolean eight_bit = FALSE;

  for (const char *p = string; *p != '\0'; p++)
    {
      if (*p == '\r' || *p == '\n')
        return "a quoted string cannot contain CR or LF";
      if ((guchar) *p >= 0x80)
        eight_bit = TRUE;
    }
  if (eight_bit && !(self->flags & CACHET_IMAP_COMMAND_UTF8_ACCEPT))
    return "8-bit text can only be quoted once UTF8=ACCEPT is enabled";
  if (eight_bit && !g_utf8_validate (string, -1, NULL))
    return "a quoted string must be valid UTF-8";
  return NULL;
}

static void
append_string (CachetImapCommand *self,
               const char        *string,
               const char        *debug)
{
  gsize length = strlen (string);

  if (length <= QUOTED_MAX_LENGTH && why_not_quoted (self, string) == NULL)
    {
      append_quoted (self, string, debug);
    }
  else
    {
      g_autoptr(GBytes) bytes = g_bytes_new (string, length);

      append_literal (self, bytes);
    }
}

static gboolean
set_invalid (GError     **error,
             const char  *what,
             const char  *reason)
{
  g_set_error (error, CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_INVALID_ARGUMENT,
               "Cannot send %s: %s", what, reason);
  return FALSE;
}

/**
 * cachet_imap_command_add_atom:
 * @self: a #CachetImapCommand
 * @atom: a bare word: a keyword, a flag (`\Seen`), a pattern, "1:*"
 * @error: return location for a #GError
 *
 * Returns: %TRUE, or %FALSE with %CACHET_IMAP_ERROR_INVALID_ARGUMENT if
 *   @atom is empty or has a character that would end it (space, CR, LF,
 *   NUL, parentheses, brace, quote, control or 8-bit)
 */
gboolean
cachet_imap_command_add_atom (CachetImapCommand  *self,
                              const char         *atom,
                              GError            **error)
{
  g_return_val_if_fail (CACHET_IS_IMAP_COMMAND (self), FALSE);
  g_return_val_if_fail (!self->ended, FALSE);
  g_return_val_if_fail (atom != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (*atom == '\0' || strchr (atom, ' ') != NULL || !is_valid_word_list (atom, is_atom_char))
    return set_invalid (error, "atom", "it is empty or has a character atoms cannot have");

  append_text (self, atom, strlen (atom), atom);
  return TRUE;
}

/**
 * cachet_imap_command_add_number:
 * @self: a #CachetImapCommand
 * @number: a number
 */
void
cachet_imap_command_add_number (CachetImapCommand *self,
                                guint64            number)
{
  char text[24];

  g_return_if_fail (CACHET_IS_IMAP_COMMAND (self));
  g_return_if_fail (!self->ended);

  g_snprintf (text, sizeof text, "%" G_GUINT64_FORMAT, number);
  append_text (self, text, strlen (text), text);
}

/**
 * cachet_imap_command_add_sequence_set:
 * @self: a #CachetImapCommand
 * @numbers: (array length=n_numbers): UIDs or sequence numbers, in any order
 * @n_numbers: how many
 * @error: return location for a #GError
 *
 * Adds the numbers as a compact set ("1:5,7,9:12"); see
 * cachet_imap_sequence_set_format().
 *
 * Returns: %TRUE, or %FALSE with %CACHET_IMAP_ERROR_INVALID_ARGUMENT if
 *   there are no numbers or one of them is 0
 */
gboolean
cachet_imap_command_add_sequence_set (CachetImapCommand  *self,
                                      const guint32      *numbers,
                                      gsize               n_numbers,
                                      GError            **error)
{
  g_autofree char *set = NULL;

  g_return_val_if_fail (CACHET_IS_IMAP_COMMAND (self), FALSE);
  g_return_val_if_fail (!self->ended, FALSE);

  set = cachet_imap_sequence_set_format (numbers, n_numbers, error);
  if (set == NULL)
    return FALSE;

  append_text (self, set, strlen (set), set);
  return TRUE;
}

/**
 * cachet_imap_command_add_string:
 * @self: a #CachetImapCommand
 * @string: any text: a search term, a user name, a password
 *
 * Adds a string as a quoted string when it can be one, and as a literal
 * otherwise: when it has CR or LF, is longer than 1024 bytes, or has 8-bit
 * bytes and UTF8=ACCEPT is not enabled. Strings do not appear in
 * cachet_imap_command_to_string(), only their length.
 */
void
cachet_imap_command_add_string (CachetImapCommand *self,
                                const char        *string)
{
  g_autofree char *debug = NULL;

  g_return_if_fail (CACHET_IS_IMAP_COMMAND (self));
  g_return_if_fail (!self->ended);
  g_return_if_fail (string != NULL);

  debug = g_strdup_printf ("\"<%" G_GSIZE_FORMAT " bytes>\"", strlen (string));
  append_string (self, string, debug);
}

/**
 * cachet_imap_command_add_quoted:
 * @self: a #CachetImapCommand
 * @string: text where the grammar wants a quoted string, such as the
 *   date-time of APPEND
 * @error: return location for a #GError
 *
 * Returns: %TRUE, or %FALSE with %CACHET_IMAP_ERROR_INVALID_ARGUMENT if
 *   @string has CR or LF, or has 8-bit bytes and UTF8=ACCEPT is not enabled
 */
gboolean
cachet_imap_command_add_quoted (CachetImapCommand  *self,
                                const char         *string,
                                GError            **error)
{
  g_autofree char *debug = NULL;
  const char *problem;

  g_return_val_if_fail (CACHET_IS_IMAP_COMMAND (self), FALSE);
  g_return_val_if_fail (!self->ended, FALSE);
  g_return_val_if_fail (string != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  problem = why_not_quoted (self, string);
  if (problem != NULL)
    return set_invalid (error, "quoted string", problem);

  debug = g_strdup_printf ("\"<%" G_GSIZE_FORMAT " bytes>\"", strlen (string));
  append_quoted (self, string, debug);
  return TRUE;
}

/**
 * cachet_imap_command_add_literal:
 * @self: a #CachetImapCommand
 * @bytes: the data, such as a whole message for APPEND
 * @error: return location for a #GError
 *
 * Adds @bytes as a literal, without copying them. The literal is
 * non-synchronising when the flags allow it, and otherwise its part waits
 * for the server's continuation request.
 *
 * Returns: %TRUE, or %FALSE with %CACHET_IMAP_ERROR_INVALID_ARGUMENT if
 *   @bytes has a NUL byte, which only the BINARY extension can carry
 */
gboolean
cachet_imap_command_add_literal (CachetImapCommand  *self,
                                 GBytes             *bytes,
                                 GError            **error)
{
  gsize size;
  const char *data;

  g_return_val_if_fail (CACHET_IS_IMAP_COMMAND (self), FALSE);
  g_return_val_if_fail (!self->ended, FALSE);
  g_return_val_if_fail (bytes != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  data = g_bytes_get_data (bytes, &size);
  if (size > 0 && memchr (data, '\0', size) != NULL)
    return set_invalid (error, "literal", "it contains a NUL byte");

  append_literal (self, bytes);
  return TRUE;
}

/**
 * cachet_imap_command_add_mailbox:
 * @self: a #CachetImapCommand
 * @mailbox: a mailbox name in UTF-8
 * @error: return location for a #GError
 *
 * Adds a mailbox name, in modified UTF-7 unless UTF8=ACCEPT is enabled.
 *
 * Returns: %TRUE, or %FALSE with %CACHET_IMAP_ERROR_INVALID_ARGUMENT if
 *   @mailbox is not UTF-8 or has a control character
 */
gboolean
cachet_imap_command_add_mailbox (CachetImapCommand  *self,
                                 const char         *mailbox,
                                 GError            **error)
{
  g_autofree char *encoded = NULL;
  g_autofree char *debug = NULL;

  g_return_val_if_fail (CACHET_IS_IMAP_COMMAND (self), FALSE);
  g_return_val_if_fail (!self->ended, FALSE);
  g_return_val_if_fail (mailbox != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!g_utf8_validate (mailbox, -1, NULL))
    return set_invalid (error, "mailbox name", "it is not valid UTF-8");
  for (const char *p = mailbox; *p != '\0'; p++)
    {
      if ((guchar) *p < 0x20 || *p == 0x7f)
        return set_invalid (error, "mailbox name", "it contains a control character");
    }

  if (self->flags & CACHET_IMAP_COMMAND_UTF8_ACCEPT)
    encoded = g_strdup (mailbox);
  else if ((encoded = cachet_imap_utf7_encode (mailbox, error)) == NULL)
    return FALSE;

  /* Folder names say little about a patient, and much about what the
   * session did: they stay readable in debug output. */
  debug = g_strdup_printf ("\"%s\"", encoded);
  append_string (self, encoded, debug);
  return TRUE;
}

/**
 * cachet_imap_command_add_fetch_attribute:
 * @self: a #CachetImapCommand
 * @attribute: a FETCH item with a section, such as
 *   "BODY.PEEK[HEADER.FIELDS (FROM SUBJECT)]<0.2048>"
 * @error: return location for a #GError
 *
 * Adds a FETCH item whose section holds spaces and parentheses, which an
 * atom cannot have.
 *
 * Returns: %TRUE, or %FALSE with %CACHET_IMAP_ERROR_INVALID_ARGUMENT if
 *   @attribute has a character outside printable ASCII, a quote, a
 *   backslash or a brace, unbalanced brackets or parentheses, or stray spaces
 */
gboolean
cachet_imap_command_add_fetch_attribute (CachetImapCommand  *self,
                                         const char         *attribute,
                                         GError            **error)
{
  int parentheses = 0;
  int brackets = 0;

  g_return_val_if_fail (CACHET_IS_IMAP_COMMAND (self), FALSE);
  g_return_val_if_fail (!self->ended, FALSE);
  g_return_val_if_fail (attribute != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (const char *p = attribute; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '{' || c == '}')
        return set_invalid (error, "FETCH item", "it has a character a FETCH item cannot have");
      if (c == ' ' && (brackets == 0 || p[1] == ' ' || p[1] == ')' || p[1] == ']'))
        return set_invalid (error, "FETCH item", "it has a space outside its section");
      if (c == '[')
        brackets++;
      else if (c == ']')
        brackets--;
      else if (c == '(')
        parentheses++;
      else if (c == ')')
        parentheses--;
      if (brackets < 0 || brackets > 1 || parentheses < 0 || (parentheses > 0 && brackets == 0))
        return set_invalid (error, "FETCH item", "its brackets or parentheses do not match");
    }
  if (*attribute == '\0' || *attribute == '[' || brackets != 0 || parentheses != 0)
    return set_invalid (error, "FETCH item", "its brackets or parentheses do not match");

  append_text (self, attribute, strlen (attribute), attribute);
  return TRUE;
}

/**
 * cachet_imap_command_begin_list:
 * @self: a #CachetImapCommand
 *
 * Opens a parenthesised list; the next arguments go inside it until
 * cachet_imap_command_end_list().
 */
void
cachet_imap_command_begin_list (CachetImapCommand *self)
{
  g_return_if_fail (CACHET_IS_IMAP_COMMAND (self));
  g_return_if_fail (!self->ended);

  append_space (self);
  g_byte_array_append (self->current, (const guint8 *) "(", 1);
  g_string_append_c (self->debug, '(');
  self->need_space = FALSE;
  self->depth++;
}

/**
 * cachet_imap_command_end_list:
 * @self: a #CachetImapCommand
 *
 * Closes the list opened last.
 */
void
cachet_imap_command_end_list (CachetImapCommand *self)
{
  g_return_if_fail (CACHET_IS_IMAP_COMMAND (self));
  g_return_if_fail (!self->ended);
  g_return_if_fail (self->depth > 0);

  g_byte_array_append (self->current, (const guint8 *) ")", 1);
  g_string_append_c (self->debug, ')');
  self->need_space = TRUE;
  self->depth--;
}

/**
 * cachet_imap_command_end:
 * @self: a #CachetImapCommand
 *
 * Ends the command line after the last argument; the parts are then ready
 * to send, and no argument can be added.
 */
void
cachet_imap_command_end (CachetImapCommand *self)
{
  g_return_if_fail (CACHET_IS_IMAP_COMMAND (self));
  g_return_if_fail (!self->ended);
  g_return_if_fail (self->depth == 0);

  g_byte_array_append (self->current, (const guint8 *) "\r\n", 2);
  flush_current (self);
  self->ended = TRUE;
}

/**
 * cachet_imap_command_get_n_parts:
 * @self: an ended #CachetImapCommand
 *
 * Returns: how many parts the command is sent in: one, plus two for each
 *   literal (the literal, and the text after it)
 */
guint
cachet_imap_command_get_n_parts (CachetImapCommand *self)
{
  g_return_val_if_fail (CACHET_IS_IMAP_COMMAND (self), 0);
  g_return_val_if_fail (self->ended, 0);

  return self->parts->len;
}

/**
 * cachet_imap_command_get_part:
 * @self: an ended #CachetImapCommand
 * @index: an index below cachet_imap_command_get_n_parts()
 * @must_wait: (out) (optional): whether the session must wait for the
 *   server's continuation request ("+") before sending this part
 *
 * Returns: (transfer none): the bytes of the part
 */
GBytes *
cachet_imap_command_get_part (CachetImapCommand *self,
                              guint              index,
                              gboolean          *must_wait)
{
  const Part *part;

  g_return_val_if_fail (CACHET_IS_IMAP_COMMAND (self), NULL);
  g_return_val_if_fail (self->ended, NULL);
  g_return_val_if_fail (index < self->parts->len, NULL);

  part = &g_array_index (self->parts, Part, index);
  if (must_wait != NULL)
    *must_wait = part->wait_for_continuation;
  return part->bytes;
}

/**
 * cachet_imap_command_to_string:
 * @self: a #CachetImapCommand
 *
 * Describes the command for debug logs: atoms, numbers, sets and mailbox
 * names as sent; other strings and literals by their length only, since they
 * can hold search terms or message content; every argument of LOGIN and
 * AUTHENTICATE as "***".
 *
 * Returns: (transfer full): the description, without line end
 */
char *
cachet_imap_command_to_string (CachetImapCommand *self)
{
  g_return_val_if_fail (CACHET_IS_IMAP_COMMAND (self), NULL);

  return g_strdup (self->debug->str);
}
