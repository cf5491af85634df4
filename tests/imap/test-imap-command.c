/* test-imap-command.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cachet-imap-command.h"
#include "cachet-imap-error.h"
#include "cachet-imap-sequence-set.h"
#include "cachet-test-utils.h"

/* The parts of a command, written as the session sends them: "|+|" where it
 * must wait for a continuation request, "|" between parts that go out
 * back to back. */
static char *
wire (CachetImapCommand *command)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < cachet_imap_command_get_n_parts (command); i++)
    {
      gboolean wait = FALSE;
      GBytes *part = cachet_imap_command_get_part (command, i, &wait);

      if (i > 0)
        g_string_append (out, wait ? "|+|" : "|");
      else
        g_assert_false (wait);
      g_string_append_len (out, g_bytes_get_data (part, NULL), (gssize) g_bytes_get_size (part));
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
assert_command (CachetImapCommand *command,
                const char        *expected_wire,
                const char        *expected_string)
{
  g_autofree char *got = NULL;
  g_autofree char *string = NULL;

  cachet_imap_command_end (command);
  got = wire (command);
  string = cachet_imap_command_to_string (command);
  g_assert_cmpstr (got, ==, expected_wire);
  g_assert_cmpstr (string, ==, expected_string);
}

static void
test_simple (void)
{
  g_autoptr(CachetImapCommand) noop =
    cachet_imap_command_new ("A1", "NOOP", CACHET_IMAP_COMMAND_FLAGS_NONE);
  g_autoptr(CachetImapCommand) uid =
    cachet_imap_command_new ("x]7", "UID EXPUNGE", CACHET_IMAP_COMMAND_FLAGS_NONE);
  g_autoptr(GError) error = NULL;
  static const guint32 uids[] = { 12, 3, 4 };

  g_assert_cmpstr (cachet_imap_command_get_tag (noop), ==, "A1");
  assert_command (noop, "A1 NOOP\r\n", "A1 NOOP");
  g_assert_cmpuint (cachet_imap_command_get_n_parts (noop), ==, 1);

  g_assert_true (cachet_imap_command_add_sequence_set (uid, uids, G_N_ELEMENTS (uids), &error));
  g_assert_no_error (error);
  assert_command (uid, "x]7 UID EXPUNGE 3:4,12\r\n", "x]7 UID EXPUNGE 3:4,12");
}

static void
test_fetch (void)
{
  g_autoptr(CachetImapCommand) command =
    cachet_imap_command_new ("A2", "UID FETCH", CACHET_IMAP_COMMAND_FLAGS_NONE);
  g_autoptr(GError) error = NULL;
  static const guint32 uids[] = { 9, 1, 2, 3, 12, 4, 5, 7, 10, 11, 3 };

  g_assert_true (cachet_imap_command_add_sequence_set (command, uids, G_N_ELEMENTS (uids), &error));
  cachet_imap_command_begin_list (command);
  g_assert_true (cachet_imap_command_add_atom (command, "UID", &error));
  g_assert_true (cachet_imap_command_add_atom (command, "FLAGS", &error));
  g_assert_true (cachet_imap_command_add_fetch_attribute (
    command, "BODY.PEEK[HEADER.FIELDS (FROM SUBJECT X-MSS-TYPE)]<0.2048>", &error));
  g_assert_true (cachet_imap_command_add_atom (command, "BODY.PEEK[]", &error));
  cachet_imap_command_end_list (command);
  cachet_imap_command_begin_list (command);
  g_assert_true (cachet_imap_command_add_atom (command, "CHANGEDSINCE", &error));
  cachet_imap_command_add_number (command, G_GUINT64_CONSTANT (90060115205545359));
  g_assert_true (cachet_imap_command_add_atom (command, "VANISHED", &error));
  cachet_imap_command_end_list (command);
  g_assert_no_error (error);

  assert_command (command,
                  "A2 UID FETCH 1:5,7,9:12 (UID FLAGS "
                  "BODY.PEEK[HEADER.FIELDS (FROM SUBJECT X-MSS-TYPE)]<0.2048> "
                  "BODY.PEEK[]) (CHANGEDSINCE 90060115205545359 VANISHED)\r\n",
                  "A2 UID FETCH 1:5,7,9:12 (UID FLAGS "
                  "BODY.PEEK[HEADER.FIELDS (FROM SUBJECT X-MSS-TYPE)]<0.2048> "
                  "BODY.PEEK[]) (CHANGEDSINCE 90060115205545359 VANISHED)");
}

static void
test_lists (void)
{
  g_autoptr(CachetImapCommand) command =
    cachet_imap_command_new ("A3", "STORE", CACHET_IMAP_COMMAND_FLAGS_NONE);
  g_autoptr(GError) error = NULL;

  g_assert_true (cachet_imap_command_add_atom (command, "1:*", &error));
  g_assert_true (cachet_imap_command_add_atom (command, "+FLAGS.SILENT", &error));
  cachet_imap_command_begin_list (command);
  cachet_imap_command_begin_list (command);
  cachet_imap_command_end_list (command);
  g_assert_true (cachet_imap_command_add_atom (command, "\\Seen", &error));
  g_assert_true (cachet_imap_command_add_atom (command, "$CachetImported", &error));
  cachet_imap_command_end_list (command);
  g_assert_no_error (error);

  assert_command (command,
                  "A3 STORE 1:* +FLAGS.SILENT (() \\Seen $CachetImported)\r\n",
                  "A3 STORE 1:* +FLAGS.SILENT (() \\Seen $CachetImported)");
}

static void
test_sequence_set_format (void)
{
  static const struct
  {
    guint32     numbers[8];
    gsize       n_numbers;
    const char *expected;
  } cases[] = {
    { { 1 }, 1, "1" },
    { { 3, 1, 2 }, 3, "1:3" },
    { { 1, 2, 3, 5, 7, 8, 9, 12 }, 8, "1:3,5,7:9,12" },
    { { 5, 5, 5 }, 3, "5" },
    { { 4294967295u, 1 }, 2, "1,4294967295" },
    { { 4294967295u, 4294967294u, 4294967295u }, 3, "4294967294:4294967295" },
    { { 2, 4, 6 }, 3, "2,4,6" },
  };
  static const guint32 zero[] = { 3, 0, 1 };
  g_autoptr(GError) error = NULL;
  g_autofree char *none = NULL;
  g_autofree char *with_zero = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *set =
        cachet_imap_sequence_set_format (cases[i].numbers, cases[i].n_numbers, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (set, ==, cases[i].expected);
    }

  none = cachet_imap_sequence_set_format (NULL, 0, &error);
  g_assert_null (none);
  g_assert_error (error, CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  with_zero = cachet_imap_sequence_set_format (zero, G_N_ELEMENTS (zero), &error);
  g_assert_null (with_zero);
  g_assert_error (error, CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_INVALID_ARGUMENT);
}

static void
test_strings (void)
{
  g_autoptr(CachetImapCommand) command =
    cachet_imap_command_new ("A4", "UID SEARCH", CACHET_IMAP_COMMAND_FLAGS_NONE);
  g_autoptr(GError) error = NULL;

  g_assert_true (cachet_imap_command_add_atom (command, "CHARSET", &error));
  cachet_imap_command_add_string (command, "UTF-8");
  g_assert_true (cachet_imap_command_add_atom (command, "SUBJECT", &error));
  cachet_imap_command_add_string (command, "R\303\251sultat \"Dupont\" \\ 2");
  g_assert_true (cachet_imap_command_add_atom (command, "FROM", &error));
  cachet_imap_command_add_string (command, "");
  g_assert_no_error (error);

  /* 8-bit text goes as a literal before UTF8=ACCEPT; strings appear in the
   * debug text by length only. */
  assert_command (command,
                  "A4 UID SEARCH CHARSET \"UTF-8\" SUBJECT {22}\r\n"
                  "|+|R\303\251sultat \"Dupont\" \\ 2| FROM \"\"\r\n",
                  "A4 UID SEARCH CHARSET \"<5 bytes>\" SUBJECT {22}<22 bytes> FROM \"<0 bytes>\"");
}

static void
test_strings_utf8 (void)
{
  g_autoptr(CachetImapCommand) command =
    cachet_imap_command_new ("A5", "SEARCH", CACHET_IMAP_COMMAND_UTF8_ACCEPT);
  g_autoptr(GError) error = NULL;

  g_assert_true (cachet_imap_command_add_atom (command, "SUBJECT", &error));
  cachet_imap_command_add_string (command, "R\303\251sultat \"Dupont\" \\ 2");
  g_assert_true (cachet_imap_command_add_atom (command, "BODY", &error));
  /* Not UTF-8: still a literal. */
  cachet_imap_command_add_string (command, "caf\351");
  g_assert_no_error (error);

  assert_command (command,
                  "A5 SEARCH SUBJECT \"R\303\251sultat \\\"Dupont\\\" \\\\ 2\" BODY {4}\r\n"
                  "|+|caf\351|\r\n",
                  "A5 SEARCH SUBJECT \"<22 bytes>\" BODY {4}<4 bytes>");
}

static void
test_string_lengths (void)
{
  g_autofree char *at_limit = g_strnfill (1024, 'q');
  g_autofree char *over_limit = g_strnfill (1025, 'q');
  g_autoptr(CachetImapCommand) command =
    cachet_imap_command_new ("A6", "X", CACHET_IMAP_COMMAND_FLAGS_NONE);
  g_autofree char *expected = NULL;

  cachet_imap_command_add_string (command, at_limit);
  cachet_imap_command_add_string (command, over_limit);
  expected = g_strdup_printf ("A6 X \"%s\" {1025}\r\n|+|%s|\r\n", at_limit, over_limit);
  assert_command (command, expected, "A6 X \"<1024 bytes>\" {1025}<1025 bytes>");
}

static void
test_literal_plus (void)
{
  g_autofree char *big = g_strnfill (4097, 'b');
  g_autofree char *small = g_strnfill (4096, 's');
  g_autoptr(GBytes) big_bytes = g_bytes_new (big, 4097);
  g_autoptr(GBytes) small_bytes = g_bytes_new (small, 4096);
  g_autoptr(CachetImapCommand) plus =
    cachet_imap_command_new ("A7", "X", CACHET_IMAP_COMMAND_LITERAL_PLUS);
  g_autoptr(CachetImapCommand) minus =
    cachet_imap_command_new ("A8", "X", CACHET_IMAP_COMMAND_LITERAL_MINUS);
  g_autoptr(GError) error = NULL;
  g_autofree char *expected_plus = NULL;
  g_autofree char *expected_minus = NULL;

  g_assert_true (cachet_imap_command_add_literal (plus, small_bytes, &error));
  g_assert_true (cachet_imap_command_add_literal (plus, big_bytes, &error));
  g_assert_true (cachet_imap_command_add_literal (minus, small_bytes, &error));
  g_assert_true (cachet_imap_command_add_literal (minus, big_bytes, &error));
  g_assert_no_error (error);

  expected_plus = g_strdup_printf ("A7 X {4096+}\r\n|%s| {4097+}\r\n|%s|\r\n", small, big);
  assert_command (plus, expected_plus, "A7 X {4096+}<4096 bytes> {4097+}<4097 bytes>");
  /* LITERAL- allows non-synchronising literals up to 4096 bytes only. */
  expected_minus = g_strdup_printf ("A8 X {4096+}\r\n|%s| {4097}\r\n|+|%s|\r\n", small, big);
  assert_command (minus, expected_minus, "A8 X {4096+}<4096 bytes> {4097}<4097 bytes>");
}

static void
test_append (void)
{
  static const char message[] =
    "From: secretariat@cabinet.mssante.fr\r\nSubject: CR\r\n\r\nBonjour\r\n";
  g_autoptr(GBytes) bytes = g_bytes_new_static (message, sizeof message - 1);
  g_autoptr(CachetImapCommand) command =
    cachet_imap_command_new ("A9", "APPEND", CACHET_IMAP_COMMAND_FLAGS_NONE);
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  gboolean wait = FALSE;

  g_assert_true (cachet_imap_command_add_mailbox (command, "Envoy\303\251s", &error));
  cachet_imap_command_begin_list (command);
  g_assert_true (cachet_imap_command_add_atom (command, "\\Seen", &error));
  cachet_imap_command_end_list (command);
  g_assert_true (cachet_imap_command_add_quoted (command, "14-Jan-2025 09:12:44 +0100", &error));
  g_assert_true (cachet_imap_command_add_literal (command, bytes, &error));
  g_assert_no_error (error);

  expected = g_strdup_printf ("A9 APPEND \"Envoy&AOk-s\" (\\Seen) \"14-Jan-2025 09:12:44 +0100\" "
                              "{%zu}\r\n|+|%s|\r\n",
                              sizeof message - 1, message);
  assert_command (command, expected,
                  "A9 APPEND \"Envoy&AOk-s\" (\\Seen) \"<26 bytes>\" {62}<62 bytes>");

  /* The message is sent from the caller's bytes, not from a copy. */
  g_assert_cmpuint (cachet_imap_command_get_n_parts (command), ==, 3);
  g_assert_true (cachet_imap_command_get_part (command, 1, &wait) == bytes);
  g_assert_true (wait);
}

static void
test_mailboxes (void)
{
  g_autoptr(CachetImapCommand) command =
    cachet_imap_command_new ("B1", "RENAME", CACHET_IMAP_COMMAND_FLAGS_NONE);
  g_autoptr(CachetImapCommand) utf8 =
    cachet_imap_command_new ("B2", "CREATE", CACHET_IMAP_COMMAND_UTF8_ACCEPT);
  g_autoptr(GError) error = NULL;

  g_assert_true (cachet_imap_command_add_mailbox (command, "R\303\251sultats labo", &error));
  g_assert_true (cachet_imap_command_add_mailbox (
    command, "\303\211l\303\251ments supprim\303\251s/\"Archives\" & co", &error));
  g_assert_no_error (error);
  assert_command (command,
                  "B1 RENAME \"R&AOk-sultats labo\" "
                  "\"&AMk-l&AOk-ments supprim&AOk-s/\\\"Archives\\\" &- co\"\r\n",
                  "B1 RENAME \"R&AOk-sultats labo\" "
                  "\"&AMk-l&AOk-ments supprim&AOk-s/\"Archives\" &- co\"");

  g_assert_true (cachet_imap_command_add_mailbox (utf8, "R\303\251sultats labo", &error));
  g_assert_no_error (error);
  assert_command (utf8,
                  "B2 CREATE \"R\303\251sultats labo\"\r\n",
                  "B2 CREATE \"R\303\251sultats labo\"");
}

/* Nothing a caller passes may end the command line early and start another
 * command. */
static void
test_injection (void)
{
  static const char * const atoms[] = {
    "FLAGS\r\nA2 LOGOUT", "a\rb", "a\nb", "two words", "", "(x", "x)", "{5}", "\"x\"",
    "\303\251", "tab\there", "del\177",
  };
  static const char * const quoted[] = {
    "x\r\nA2 DELETE INBOX", "a\rb", "a\nb", "Envoy\303\251s",
  };
  static const char * const mailboxes[] = {
    "INBOX\r\nA2 DELETE Archives", "a\nb", "a\rb", "tab\there", "caf\351",
  };
  static const char * const fetch_attributes[] = {
    "BODY[]\r\nA2 LOGOUT", "BODY[{5}]", "BODY[\"x\"]", "BODY[", "BODY]", "BODY[(]", "X Y",
    "BODY[HEADER.FIELDS (A] B)", "BODY[a\\b]", "", "[x]", "BODY[[x]]", "BODY[\303\251]",
  };
  g_autoptr(CachetImapCommand) command =
    cachet_imap_command_new ("C1", "SEARCH", CACHET_IMAP_COMMAND_FLAGS_NONE);
  g_autoptr(GBytes) nul = g_bytes_new_static ("a\0b", 3);
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (atoms); i++)
    {
      g_assert_false (cachet_imap_command_add_atom (command, atoms[i], &error));
      g_assert_error (error, CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_INVALID_ARGUMENT);
      g_clear_error (&error);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (quoted); i++)
    {
      g_assert_false (cachet_imap_command_add_quoted (command, quoted[i], &error));
      g_assert_error (error, CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_INVALID_ARGUMENT);
      g_clear_error (&error);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (mailboxes); i++)
    {
      g_assert_false (cachet_imap_command_add_mailbox (command, mailboxes[i], &error));
      g_assert_error (error, CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_INVALID_ARGUMENT);
      g_clear_error (&error);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (fetch_attributes); i++)
    {
      g_assert_false (cachet_imap_command_add_fetch_attribute (command, fetch_attributes[i],
                                                               &error));
      g_assert_error (error, CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_INVALID_ARGUMENT);
      g_clear_error (&error);
    }
  g_assert_false (cachet_imap_command_add_literal (command, nul, &error));
  g_assert_error (error, CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* A string with a line break is sent whole, as a literal of known length. */
  g_assert_true (cachet_imap_command_add_atom (command, "TEXT", &error));
  cachet_imap_command_add_string (command, "x\r\nC2 DELETE INBOX");

  /* None of the refused arguments left a trace. */
  assert_command (command, "C1 SEARCH TEXT {18}\r\n|+|x\r\nC2 DELETE INBOX|\r\n",
                  "C1 SEARCH TEXT {18}<18 bytes>");
}

static void
test_redaction (void)
{
  g_autoptr(CachetImapCommand) login =
    cachet_imap_command_new ("D1", "LOGIN", CACHET_IMAP_COMMAND_FLAGS_NONE);
  g_autoptr(CachetImapCommand) login_literal =
    cachet_imap_command_new ("D2", "login", CACHET_IMAP_COMMAND_LITERAL_PLUS);
  g_autoptr(CachetImapCommand) authenticate =
    cachet_imap_command_new ("D3", "AUTHENTICATE", CACHET_IMAP_COMMAND_FLAGS_NONE);
  g_autoptr(GError) error = NULL;
  g_autofree char *login_string = NULL;
  g_autofree char *literal_string = NULL;

  cachet_imap_command_add_string (login, "dr.martin@cabinet.mssante.fr");
  cachet_imap_command_add_string (login, "S3cr\303\250t \"pass\"");
  assert_command (login,
                  "D1 LOGIN \"dr.martin@cabinet.mssante.fr\" {14}\r\n"
                  "|+|S3cr\303\250t \"pass\"|\r\n",
                  "D1 LOGIN *** ***");

  cachet_imap_command_add_string (login_literal, "secretariat");
  cachet_imap_command_add_string (login_literal, "pass\r\nword");
  assert_command (login_literal,
                  "D2 login \"secretariat\" {10+}\r\n|pass\r\nword|\r\n",
                  "D2 login *** ***");
  login_string = cachet_imap_command_to_string (login_literal);
  g_assert_null (strstr (login_string, "secretariat"));
  g_assert_null (strstr (login_string, "{10"));

  g_assert_true (cachet_imap_command_add_atom (authenticate, "PLAIN", &error));
  g_assert_true (cachet_imap_command_add_atom (authenticate, "AHVzZXIAcGFzcw==", &error));
  g_assert_no_error (error);
  assert_command (authenticate,
                  "D3 AUTHENTICATE PLAIN AHVzZXIAcGFzcw==\r\n",
                  "D3 AUTHENTICATE *** ***");
  literal_string = cachet_imap_command_to_string (authenticate);
  g_assert_null (strstr (literal_string, "AHVz"));
}

int
main (int    argc,
      char **argv)
{
  cachet_test_init (&argc, &argv);

  g_test_add_func ("/imap/command/simple", test_simple);
  g_test_add_func ("/imap/command/fetch", test_fetch);
  g_test_add_func ("/imap/command/lists", test_lists);
  g_test_add_func ("/imap/command/sequence-set", test_sequence_set_format);
  g_test_add_func ("/imap/command/strings", test_strings);
  g_test_add_func ("/imap/command/strings-utf8", test_strings_utf8);
  g_test_add_func ("/imap/command/string-lengths", test_string_lengths);
  g_test_add_func ("/imap/command/literal-plus", test_literal_plus);
  g_test_add_func ("/imap/command/append", test_append);
  g_test_add_func ("/imap/command/mailboxes", test_mailboxes);
  g_test_add_func ("/imap/command/injection", test_injection);
  g_test_add_func ("/imap/command/redaction", test_redaction);

  return g_test_run ();
}
