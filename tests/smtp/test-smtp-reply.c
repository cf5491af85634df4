/* test-smtp-reply.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cachet-smtp-error.h"
#include "cachet-smtp-reply.h"
#include "cachet-test-utils.h"

/* The reply parser, data-driven: each case is the reply's lines (joined by
 * "\n" here, as the connection hands them over one by one), whether the
 * server announced ENHANCEDSTATUSCODES, and either what the reply holds or
 * that it is a protocol error. */
typedef struct
{
  const char *name;
  const char *input;
  gboolean enhanced;
  guint code;                 /* 0: a protocol error is expected */
  const char *enhanced_code;
  const char *text;           /* the lines joined by "\n" */
} ReplyCase;

static const ReplyCase reply_cases[] = {
  { "greeting", "220 mail.example.org ESMTP Postfix", FALSE, 220, NULL,
    "mail.example.org ESMTP Postfix" },
  { "greeting-multiline", "220-mail.example.org ESMTP\n220-No UCE\n220 Ready", FALSE, 220, NULL,
    "mail.example.org ESMTP\nNo UCE\nReady" },
  { "code-only", "250", FALSE, 250, NULL, "" },
  { "code-space", "250 ", FALSE, 250, NULL, "" },
  { "empty-continuation", "250-\n250 done", FALSE, 250, NULL, "\ndone" },
  { "ehlo", "250-mail.example.org\n250-PIPELINING\n250-SIZE 10240000\n250-AUTH PLAIN LOGIN\n"
            "250-ENHANCEDSTATUSCODES\n250 8BITMIME", FALSE, 250, NULL,
    "mail.example.org\nPIPELINING\nSIZE 10240000\nAUTH PLAIN LOGIN\nENHANCEDSTATUSCODES\n"
    "8BITMIME" },
  { "enhanced", "250 2.1.0 Ok", TRUE, 250, "2.1.0", "Ok" },
  { "enhanced-off", "250 2.1.0 Ok", FALSE, 250, NULL, "2.1.0 Ok" },
  { "enhanced-multiline", "550-5.1.1 The email account that you tried to reach does\n"
                          "550-5.1.1 not exist. Please try double-checking the recipient's\n"
                          "550 5.1.1 email address.", TRUE, 550, "5.1.1",
    "The email account that you tried to reach does\nnot exist. Please try double-checking "
    "the recipient's\nemail address." },
  { "enhanced-three-digits", "554 5.123.456 x", TRUE, 554, "5.123.456", "x" },
  { "enhanced-alone", "250 2.0.0", TRUE, 250, "2.0.0", "" },
  { "enhanced-wrong-class", "550 2.1.0 odd", TRUE, 550, NULL, "2.1.0 odd" },
  { "enhanced-four-digits", "550 5.1234.1 odd", TRUE, 550, NULL, "5.1234.1 odd" },
  { "enhanced-no-space", "550 5.1.1x", TRUE, 550, NULL, "5.1.1x" },
  { "enhanced-not-for-334", "334 2.0.0", TRUE, 334, NULL, "2.0.0" },
  { "challenge", "334 VXNlcm5hbWU6", TRUE, 334, NULL, "VXNlcm5hbWU6" },
  { "tab", "250 a\tb", FALSE, 250, NULL, "a\tb" },
  { "utf8", "550 5.7.1 Refusé", TRUE, 550, "5.7.1", "Refusé" },
  { "latin1-replaced", "550 Refus\xe9", FALSE, 550, NULL, "Refus\xef\xbf\xbd" },
  { "mismatched-codes", "250-mail.example.org\n251 ok", FALSE, 0, NULL, NULL },
  { "mismatched-class", "250-mail.example.org\n550 no", FALSE, 0, NULL, NULL },
  { "code-1xx", "150 what", FALSE, 0, NULL, NULL },
  { "code-6xx", "650 what", FALSE, 0, NULL, NULL },
  { "code-short", "25", FALSE, 0, NULL, NULL },
  { "code-letters", "2x0 ok", FALSE, 0, NULL, NULL },
  { "bad-separator", "250_ok", FALSE, 0, NULL, NULL },
  { "empty-line", "", FALSE, 0, NULL, NULL },
  { "imap", "* OK IMAP4rev1", FALSE, 0, NULL, NULL },
  { "control", "250 a\033[31mred", FALSE, 0, NULL, NULL },
  { "del", "250 a\177", FALSE, 0, NULL, NULL },
  { "bare-cr", "250 a\rb", FALSE, 0, NULL, NULL },
};

static CachetSmtpReply *
parse (const char  *input,
       gsize        length,
       gboolean     enhanced,
       guint       *n_replies,
       GError     **error)
{
  g_autoptr(CachetSmtpReplyParser) parser = cachet_smtp_reply_parser_new ();
  CachetSmtpReply *reply = NULL;
  const char *end = input + length;

  cachet_smtp_reply_parser_set_enhanced_status_codes (parser, enhanced);
  *n_replies = 0;
  for (const char *line = input; line <= end;)
    {
      const char *newline = memchr (line, '\n', (gsize) (end - line));
      gsize line_length = newline != NULL ? (gsize) (newline - line) : (gsize) (end - line);
      CachetSmtpReply *complete = NULL;

      if (!cachet_smtp_reply_parser_feed_line (parser, line, line_length, &complete, error))
        {
          g_clear_pointer (&reply, cachet_smtp_reply_unref);
          return NULL;
        }
      if (complete != NULL)
        {
          (*n_replies)++;
          g_clear_pointer (&reply, cachet_smtp_reply_unref);
          reply = complete;
        }
      if (newline == NULL)
        break;
      line = newline + 1;
    }

  return reply;
}

static void
test_reply_case (gconstpointer data)
{
  const ReplyCase *c = data;
  g_autoptr(CachetSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *joined = NULL;
  guint n_replies;

  reply = parse (c->input, strlen (c->input), c->enhanced, &n_replies, &error);
  if (c->code == 0)
    {
      g_assert_error (error, CACHET_SMTP_ERROR, CACHET_SMTP_ERROR_PROTOCOL);
      g_assert_null (reply);
      return;
    }

  g_assert_no_error (error);
  g_assert_nonnull (reply);
  g_assert_cmpuint (n_replies, ==, 1);
  g_assert_cmpuint (cachet_smtp_reply_get_code (reply), ==, c->code);
  g_assert_cmpuint (cachet_smtp_reply_get_class (reply), ==, c->code / 100);
  g_assert_cmpstr (cachet_smtp_reply_get_enhanced_code (reply), ==, c->enhanced_code);
  g_assert_cmpstr (cachet_smtp_reply_get_text (reply), ==, c->text);
  joined = g_strjoinv ("\n", (GStrv) cachet_smtp_reply_get_lines (reply));
  g_assert_cmpstr (joined, ==, c->text);
}

static void
test_nul_in_line (void)
{
  static const char line[] = "250 a\0b";
  g_autoptr(CachetSmtpReplyParser) parser = cachet_smtp_reply_parser_new ();
  g_autoptr(GError) error = NULL;
  CachetSmtpReply *reply = NULL;

  g_assert_false (cachet_smtp_reply_parser_feed_line (parser, line, sizeof line - 1, &reply,
                                                      &error));
  g_assert_error (error, CACHET_SMTP_ERROR, CACHET_SMTP_ERROR_PROTOCOL);
  g_assert_null (reply);
}

static void
test_line_length (void)
{
  g_autoptr(CachetSmtpReplyParser) parser = cachet_smtp_reply_parser_new ();
  g_autoptr(CachetSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *longest = g_strnfill (CACHET_SMTP_REPLY_MAX_LINE_LENGTH, 'x');
  g_autofree char *too_long = NULL;
  CachetSmtpReply *none = NULL;

  /* 512 octets with CRLF are allowed, one more is not. */
  memcpy (longest, "250 ", 4);
  g_assert_true (cachet_smtp_reply_parser_feed_line (parser, longest, strlen (longest), &reply,
                                                     &error));
  g_assert_no_error (error);
  g_assert_nonnull (reply);
  g_assert_cmpuint (strlen (cachet_smtp_reply_get_text (reply)),
                    ==, CACHET_SMTP_REPLY_MAX_LINE_LENGTH - 4);

  too_long = g_strdup_printf ("%sx", longest);
  g_assert_false (cachet_smtp_reply_parser_feed_line (parser, too_long, strlen (too_long),
                                                      &none, &error));
  g_assert_error (error, CACHET_SMTP_ERROR, CACHET_SMTP_ERROR_PROTOCOL);
  g_assert_null (none);
}

static void
test_flood (void)
{
  g_autoptr(CachetSmtpReplyParser) parser = cachet_smtp_reply_parser_new ();
  g_autoptr(CachetSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  CachetSmtpReply *none = NULL;

  for (guint i = 0; i < CACHET_SMTP_REPLY_MAX_LINES - 1; i++)
    {
      g_assert_true (cachet_smtp_reply_parser_feed_line (parser, "250-X", 5, &none, &error));
      g_assert_no_error (error);
      g_assert_null (none);
    }
  /* The last line the bound allows completes the reply… */
  g_assert_true (cachet_smtp_reply_parser_feed_line (parser, "250 X", 5, &reply, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length ((GStrv) cachet_smtp_reply_get_lines (reply)), ==,
                    CACHET_SMTP_REPLY_MAX_LINES);

  /* …one more is a flood. */
  for (guint i = 0; i < CACHET_SMTP_REPLY_MAX_LINES; i++)
    {
      g_assert_true (cachet_smtp_reply_parser_feed_line (parser, "250-X", 5, &none, &error));
      g_assert_null (none);
    }
  g_assert_false (cachet_smtp_reply_parser_feed_line (parser, "250 X", 5, &none, &error));
  g_assert_error (error, CACHET_SMTP_ERROR, CACHET_SMTP_ERROR_PROTOCOL);
  g_assert_null (none);
}

static void
test_after_error (void)
{
  g_autoptr(CachetSmtpReplyParser) parser = cachet_smtp_reply_parser_new ();
  g_autoptr(CachetSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  CachetSmtpReply *none = NULL;

  /* A reply in progress is dropped with the error; the next starts afresh. */
  g_assert_true (cachet_smtp_reply_parser_feed_line (parser, "250-a", 5, &none, &error));
  g_assert_false (cachet_smtp_reply_parser_feed_line (parser, "251 b", 5, &none, &error));
  g_clear_error (&error);
  g_assert_true (cachet_smtp_reply_parser_feed_line (parser, "221 c", 5, &reply, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cachet_smtp_reply_get_code (reply), ==, 221);
  g_assert_cmpstr (cachet_smtp_reply_get_text (reply), ==, "c");

  /* reset() drops a reply in progress too. */
  g_clear_pointer (&reply, cachet_smtp_reply_unref);
  g_assert_true (cachet_smtp_reply_parser_feed_line (parser, "250-a", 5, &none, &error));
  cachet_smtp_reply_parser_reset (parser);
  g_assert_true (cachet_smtp_reply_parser_feed_line (parser, "354 go", 6, &reply, &error));
  g_assert_cmpuint (cachet_smtp_reply_get_code (reply), ==, 354);
}

static void
test_consecutive (void)
{
  static const char input[] = "250-first\n250 first end\n354 second";
  g_autoptr(CachetSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  guint n_replies;

  reply = parse (input, strlen (input), FALSE, &n_replies, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_replies, ==, 2);
  g_assert_cmpuint (cachet_smtp_reply_get_code (reply), ==, 354);
  g_assert_cmpstr (cachet_smtp_reply_get_text (reply), ==, "second");
}

typedef struct
{
  const char *line;
  const char *queue_id;
} QueueIdCase;

static const QueueIdCase queue_id_cases[] = {
  { "250 2.0.0 Ok: queued as 4Lr9sJ3mDlz9rxL", "4Lr9sJ3mDlz9rxL" },
  { "250 2.0.0 Ok: queued as 0A1B2C3D4E.", "0A1B2C3D4E" },
  { "250 OK id=1qXyZa-000AbC-Ab", "1qXyZa-000AbC-Ab" },
  { "250 2.0.0 3ABCdEf12345 Message accepted for delivery", "3ABCdEf12345" },
  { "250 2.0.0 OK  1707991234 d12-20020a17090a.123 - gsmtp", "d12-20020a17090a.123" },
  { "250 2.0.0 Queued as ABC123 [InternalId=1]", "ABC123" },
  { "250 2.0.0 Ok", NULL },
  { "250 2.0.0 Ok: queued as ", NULL },
  { "550 5.7.1 queued as nothing", NULL },
};

static void
test_queue_id (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (queue_id_cases); i++)
    {
      g_autoptr(CachetSmtpReply) reply = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *queue_id = NULL;
      guint n_replies;

      reply = parse (queue_id_cases[i].line, strlen (queue_id_cases[i].line), TRUE, &n_replies,
                     &error);
      g_assert_no_error (error);
      queue_id = cachet_smtp_reply_dup_queue_id (reply);
      g_assert_cmpstr (queue_id, ==, queue_id_cases[i].queue_id);
    }
}

static void
test_boxed (void)
{
  g_autoptr(CachetSmtpReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  CachetSmtpReply *copy;
  guint n_replies;

  reply = parse ("250 2.0.0 ok", 12, TRUE, &n_replies, &error);
  copy = g_boxed_copy (CACHET_TYPE_SMTP_REPLY, reply);
  g_assert_true (copy == reply);
  g_boxed_free (CACHET_TYPE_SMTP_REPLY, copy);
  g_assert_cmpuint (cachet_smtp_reply_get_code (reply), ==, 250);
}

int
main (int   argc,
      char *argv[])
{
  cachet_test_init (&argc, &argv);

  for (gsize i = 0; i < G_N_ELEMENTS (reply_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/smtp/reply/%s", reply_cases[i].name);

      g_test_add_data_func (path, &reply_cases[i], test_reply_case);
    }
  g_test_add_func ("/smtp/reply/nul", test_nul_in_line);
  g_test_add_func ("/smtp/reply/line-length", test_line_length);
  g_test_add_func ("/smtp/reply/flood", test_flood);
  g_test_add_func ("/smtp/reply/after-error", test_after_error);
  g_test_add_func ("/smtp/reply/consecutive", test_consecutive);
  g_test_add_func ("/smtp/reply/queue-id", test_queue_id);
  g_test_add_func ("/smtp/reply/boxed", test_boxed);

  return g_test_run ();
}
