/* test-composing.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Writing messages, headless: recipient fields as typed, the builder's
 * headers and envelope, and replies and forwards computed from hostile or
 * odd originals.
 */

#include "config.h"

#include <string.h>

#include "cachet-address.h"
#include "cachet-message-builder.h"
#include "cachet-message-summary.h"
#include "cachet-mime.h"
#include "cachet-reply.h"
#include "cachet-test-utils.h"

#define OWN_ADDRESS "secretariat@demo.cachet.test"

static void
test_address_validate (void)
{
  static const char * const valid[] = {
    "dr.martin@demo.cachet.test",
    "a@b",
    "prénom.nom@hôpital.fr",
    "x+tag@sub.example.org",
  };
  static const char * const invalid[] = {
    "", "plain", "@example.org", "name@", "a@b@c", "a b@c.org", "a@b .org", "<a@b.org>",
    "Name <a@b.org>", "\"quoted\"@b.org", "a@[127.0.0.1]", "a@b.org\r\nBcc: x@y.org",
    "a@b.org\n", "a\t@b.org", ".a@b.org", "a.@b.org", "a..b@c.org", "a@b.org.", "a,b@c.org",
  };
  g_autofree char *local_part = g_strnfill (260, 'a');
  g_autofree char *long_address = g_strconcat (local_part, "@example.org", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (cachet_address_validate (valid[i], &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (cachet_address_validate (invalid[i], &error));
      g_assert_error (error, CACHET_MIME_ERROR, CACHET_MIME_ERROR_INVALID);
    }
  g_assert_false (cachet_address_validate (long_address, NULL));
}

static void
test_address_parse_list (void)
{
  g_autoptr(GPtrArray) empty = cachet_address_parse_list ("  ", NULL);
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  static const char * const invalid[] = {
    /* GMime alone would keep the first address and drop the rest. */
    "a@b.org, not an address",
    "a@b.org c@d.org",
    "a@b@c",
    /* An unquoted comma splits a display name into two broken mailboxes. */
    "Martin, Jean <jean@x.org>",
    "Team: a@b.org, c@d.org;",
    "a@b.org\r\nBcc: x@y.org",
    "Name <a@b.org> trailing",
  };
  CachetMessageAddress *address;

  g_assert_nonnull (empty);
  g_assert_cmpuint (empty->len, ==, 0);

  list = cachet_address_parse_list ("\"Martin, Jean\" <jean@x.org>, labo@demo.cachet.test,, "
                                    "=?UTF-8?Q?C=C3=A9line?= <celine@x.org>", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  address = g_ptr_array_index (list, 0);
  g_assert_cmpstr (address->name, ==, "Martin, Jean");
  g_assert_cmpstr (address->address, ==, "jean@x.org");
  address = g_ptr_array_index (list, 1);
  g_assert_null (address->name);
  g_assert_cmpstr (address->address, ==, "labo@demo.cachet.test");
  address = g_ptr_array_index (list, 2);
  g_assert_cmpstr (address->name, ==, "Céline");

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GError) parse_error = NULL;
      g_autoptr(GPtrArray) parsed = cachet_address_parse_list (invalid[i], &parse_error);

      g_assert_null (parsed);
      g_assert_error (parse_error, CACHET_MIME_ERROR, CACHET_MIME_ERROR_INVALID);
    }
}

static void
test_address_format_round_trip (void)
{
  g_autofree char *formatted = cachet_address_format ("Martin, Jean", "jean@x.org");
  g_autofree char *plain = cachet_address_format (NULL, "jean@x.org");
  g_autoptr(GPtrArray) parsed = cachet_address_parse_list (formatted, NULL);
  CachetMessageAddress *address;

  g_assert_cmpstr (plain, ==, "jean@x.org");
  g_assert_nonnull (parsed);
  g_assert_cmpuint (parsed->len, ==, 1);
  address = g_ptr_array_index (parsed, 0);
  g_assert_cmpstr (address->name, ==, "Martin, Jean");
  g_assert_cmpstr (address->address, ==, "jean@x.org");
  g_assert_true (cachet_address_equal ("Jean@X.org", "jean@x.org"));
  g_assert_false (cachet_address_equal ("jean@x.org", "jeanne@x.org"));
}

static GMimeMessage *
parse (GBytes *raw)
{
  g_autoptr(GError) error = NULL;
  GMimeMessage *message = cachet_mime_parse_message (raw, &error);

  g_assert_no_error (error);
  return message;
}

static void
test_builder_bcc_and_thread (void)
{
  g_autoptr(CachetMessageBuilder) builder = cachet_message_builder_new ("Secrétariat", OWN_ADDRESS);
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) recipients = NULL;
  g_autoptr(GPtrArray) references = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GMimeReferences) parsed_references = NULL;
  g_autofree char *message_id = NULL;
  const char *text;

  cachet_message_builder_add_recipient (builder, CACHET_RECIPIENT_TO, "Dr Martin", "martin@x.org");
  cachet_message_builder_add_recipient (builder, CACHET_RECIPIENT_CC, NULL, "labo@x.org");
  cachet_message_builder_add_recipient (builder, CACHET_RECIPIENT_BCC, NULL, "archive@x.org");
  cachet_message_builder_set_subject (builder, "Re: Résultats");
  cachet_message_builder_set_body (builder, "Merci.");
  cachet_message_builder_set_in_reply_to (builder, "parent@x.org");
  for (guint i = 0; i < 30; i++)
    g_ptr_array_add (references, g_strdup_printf ("ancestor-%u@x.org", i));
  g_ptr_array_add (references, NULL);
  cachet_message_builder_set_references (builder, (const char * const *) references->pdata);
  message_id = g_strdup (cachet_message_builder_get_message_id (builder));
  g_assert_nonnull (strstr (message_id, "@demo.cachet.test"));

  raw = cachet_message_builder_build (builder, &error);
  g_assert_no_error (error);
  text = g_bytes_get_data (raw, NULL);
  /* Bcc reaches the envelope, never the message. */
  g_assert_null (g_strstr_len (text, (gssize) g_bytes_get_size (raw), "archive@x.org"));
  g_assert_null (g_strstr_len (text, (gssize) g_bytes_get_size (raw), "Bcc"));
  recipients = cachet_message_builder_dup_recipients (builder);
  g_assert_cmpstrv (recipients, ((const char * const[]) { "martin@x.org", "labo@x.org", "archive@x.org", NULL }));

  message = parse (raw);
  g_assert_cmpstr (g_mime_message_get_message_id (message), ==, message_id);
  g_assert_cmpstr (g_mime_object_get_header (GMIME_OBJECT (message), "In-Reply-To"), ==, "<parent@x.org>");
  parsed_references = g_mime_references_parse (NULL, g_mime_object_get_header (GMIME_OBJECT (message), "References"));
  /* The root and the nearest ancestors. */
  g_assert_cmpint (g_mime_references_length (parsed_references), ==, CACHET_MESSAGE_BUILDER_MAX_REFERENCES);
  g_assert_cmpstr (g_mime_references_get_message_id (parsed_references, 0), ==, "ancestor-0@x.org");
  g_assert_cmpstr (g_mime_references_get_message_id (parsed_references, 1), ==, "ancestor-11@x.org");
  g_assert_cmpstr (g_mime_references_get_message_id (parsed_references, CACHET_MESSAGE_BUILDER_MAX_REFERENCES - 1),
                   ==, "ancestor-29@x.org");
  g_assert_cmpstr (g_mime_message_get_subject (message), ==, "Re: Résultats");

  /* The same id through every version of a message. */
  {
    g_autoptr(CachetMessageBuilder) again = cachet_message_builder_new (NULL, OWN_ADDRESS);
    g_autoptr(GBytes) draft = NULL;
    g_autoptr(GMimeMessage) reparsed = NULL;

    cachet_message_builder_set_message_id (again, message_id);
    draft = cachet_message_builder_build_draft (again, &error);
    g_assert_no_error (error);
    reparsed = parse (draft);
    g_assert_cmpstr (g_mime_message_get_message_id (reparsed), ==, message_id);
    g_assert_null (cachet_message_builder_build (again, &error));
    g_assert_error (error, CACHET_MIME_ERROR, CACHET_MIME_ERROR_INVALID);
  }
}

static void
test_builder_refuses_header_injection (void)
{
  g_autoptr(CachetMessageBuilder) builder = cachet_message_builder_new (NULL, OWN_ADDRESS);
  g_autoptr(GError) error = NULL;

  cachet_message_builder_add_recipient (builder, CACHET_RECIPIENT_BCC, NULL, "x@y.org\r\nSubject: injected");
  g_assert_null (cachet_message_builder_build (builder, &error));
  g_assert_error (error, CACHET_MIME_ERROR, CACHET_MIME_ERROR_INVALID);
}

static void
test_builder_attachments_from_bytes (void)
{
  static const char forwarded[] = "From: a@x.org\r\nSubject: Original\r\n\r\nTexte\r\n";
  g_autoptr(CachetMessageBuilder) builder = cachet_message_builder_new (NULL, OWN_ADDRESS);
  g_autoptr(GBytes) pdf = g_bytes_new_static ("%PDF-1.4\n\x00\x01\x02", 12);
  g_autoptr(GBytes) eml = g_bytes_new_static (forwarded, sizeof forwarded - 1);
  g_autoptr(GBytes) huge = g_bytes_new_take (g_malloc0 (CACHET_MESSAGE_BUILDER_MAX_ATTACHMENT_SIZE + 1),
                                             CACHET_MESSAGE_BUILDER_MAX_ATTACHMENT_SIZE + 1);
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *mime_type = NULL;
  GMimeMultipart *mixed;
  GMimeObject *part;

  cachet_message_builder_add_to (builder, "martin@x.org");
  g_assert_true (cachet_message_builder_add_attachment_bytes (builder, "compte-rendu.pdf", NULL, pdf, &error));
  g_assert_true (cachet_message_builder_add_attachment_bytes (builder, "Original.eml", "message/rfc822", eml, &error));
  g_assert_false (cachet_message_builder_add_attachment_bytes (builder, "huge.bin", NULL, huge, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_clear_error (&error);

  raw = cachet_message_builder_build (builder, &error);
  g_assert_no_error (error);
  message = parse (raw);
  mixed = GMIME_MULTIPART (g_mime_message_get_mime_part (message));
  g_assert_cmpint (g_mime_multipart_get_count (mixed), ==, 3);
  part = g_mime_multipart_get_part (mixed, 1);
  mime_type = g_mime_content_type_get_mime_type (g_mime_object_get_content_type (part));
  g_assert_cmpstr (mime_type, ==, "application/pdf");
  /* An attached message is a message, not base64 data. */
  part = g_mime_multipart_get_part (mixed, 2);
  g_assert_true (GMIME_IS_MESSAGE_PART (part));
  g_assert_cmpstr (g_mime_message_get_subject (g_mime_message_part_get_message (GMIME_MESSAGE_PART (part))),
                   ==, "Original");
}

static void
test_reply_subjects (void)
{
  static const struct { const char *original; CachetReplyKind kind; const char *expected; } cases[] = {
    { "Résultats", CACHET_REPLY_TO_SENDER, "Re: Résultats" },
    { "Re: Résultats", CACHET_REPLY_TO_SENDER, "Re: Résultats" },
    { "Re: RE: Fwd: Résultats", CACHET_REPLY_TO_ALL, "Re: Résultats" },
    { "RE : TR: Résultats", CACHET_REPLY_TO_SENDER, "Re: Résultats" },
    { "Re[2]: Résultats", CACHET_REPLY_TO_SENDER, "Re: Résultats" },
    { "Fwd: Résultats", CACHET_REPLY_FORWARD, "Fwd: Résultats" },
    { "Re: Résultats", CACHET_REPLY_FORWARD, "Fwd: Résultats" },
    { "Recherche: protocole", CACHET_REPLY_TO_SENDER, "Re: Recherche: protocole" },
    { "", CACHET_REPLY_TO_SENDER, "Re: " },
    { NULL, CACHET_REPLY_FORWARD, "Fwd: " },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *subject = cachet_reply_make_subject (cases[i].original, cases[i].kind);

      g_assert_cmpstr (subject, ==, cases[i].expected);
    }
}

static CachetReply *
reply_to (const char      *text,
          CachetReplyKind  kind)
{
  g_autoptr(GBytes) raw = g_bytes_new (text, strlen (text));
  g_autoptr(GError) error = NULL;
  CachetReply *reply = cachet_reply_new (raw, kind, OWN_ADDRESS, &error);

  g_assert_no_error (error);
  g_assert_nonnull (reply);
  return reply;
}

static void
assert_addresses (GPtrArray          *addresses,
                  const char * const *expected)
{
  g_assert_cmpuint (addresses->len, ==, g_strv_length ((char **) expected));
  for (guint i = 0; i < addresses->len; i++)
    g_assert_cmpstr (((CachetMessageAddress *) g_ptr_array_index (addresses, i))->address, ==, expected[i]);
}

#define ADDRESSES(...) ((const char * const[]) { __VA_ARGS__, NULL })

static const char thread_message[] =
  "From: Dr Martin <martin@x.org>, Dr Bernard <bernard@x.org>\r\n"
  "Reply-To: cabinet@x.org\r\n"
  "To: secretariat@demo.cachet.test, labo@x.org, Cabinet <CABINET@x.org>\r\n"
  "Cc: SECRETARIAT@demo.cachet.test, labo@x.org, infirmier@x.org\r\n"
  "Subject: Re: RE: Fwd: Résultats\r\n"
  "Date: Thu, 15 Jan 2026 10:30:00 +0100\r\n"
  "Message-ID: <m3@x.org>\r\n"
  "In-Reply-To: <m2@x.org>\r\n"
  "References: <m1@x.org> <m2@x.org>\r\n"
  "\r\n"
  "Bonjour,\r\n"
  "> déjà cité\r\n"
  "\r\n"
  "Cordialement\r\n";

static void
test_reply_to_sender (void)
{
  g_autoptr(CachetReply) reply = reply_to (thread_message, CACHET_REPLY_TO_SENDER);

  /* Reply-To wins over the two authors. */
  assert_addresses (reply->to, ADDRESSES ("cabinet@x.org"));
  g_assert_cmpuint (reply->cc->len, ==, 0);
  g_assert_cmpstr (reply->subject, ==, "Re: Résultats");
  g_assert_cmpstr (reply->in_reply_to, ==, "m3@x.org");
  g_assert_cmpstrv (reply->references, ADDRESSES ("m1@x.org", "m2@x.org", "m3@x.org"));
  g_assert_nonnull (strstr (reply->body, "Dr Martin wrote:\n> Bonjour,\n>> déjà cité\n>\n> Cordialement\n"));
  g_assert_true (g_str_has_prefix (reply->body, "\n\n"));
  g_assert_false (reply->content_withheld);
}

static void
test_reply_to_all (void)
{
  g_autoptr(CachetReply) reply = reply_to (thread_message, CACHET_REPLY_TO_ALL);

  /* No own address (whatever its case), no duplicate, Cc kept as Cc. */
  assert_addresses (reply->to, ADDRESSES ("cabinet@x.org", "labo@x.org"));
  assert_addresses (reply->cc, ADDRESSES ("infirmier@x.org"));
}

static void
test_reply_without_reply_to (void)
{
  g_autoptr(CachetReply) reply = reply_to ("From: Dr Martin <martin@x.org>, bernard@x.org\r\n"
                                           "To: secretariat@demo.cachet.test\r\n"
                                           "Subject: Planning\r\n"
                                           "\r\n"
                                           "Texte\r\n"
                                           "  indenté\r\n"
                                           "\r\n",
                                           CACHET_REPLY_TO_SENDER);

  /* Every author; no date to show; the text as it was, blank end left out. */
  assert_addresses (reply->to, ADDRESSES ("martin@x.org", "bernard@x.org"));
  g_assert_null (reply->in_reply_to);
  g_assert_cmpuint (g_strv_length (reply->references), ==, 0);
  g_assert_true (g_str_has_suffix (reply->body, "\nDr Martin wrote:\n> Texte\n>   indenté\n"));
}

static void
test_reply_to_own_message (void)
{
  g_autoptr(CachetReply) reply = reply_to ("From: secretariat@demo.cachet.test\r\n"
                                           "To: martin@x.org\r\n"
                                           "Subject: Rendez-vous\r\n"
                                           "Message-ID: <own@demo.cachet.test>\r\n"
                                           "\r\n"
                                           "Texte\r\n",
                                           CACHET_REPLY_TO_SENDER);

  /* From Sent: the conversation goes on with its recipient. */
  assert_addresses (reply->to, ADDRESSES ("martin@x.org"));
}

static void
test_reply_non_utf8_body (void)
{
  g_autoptr(CachetReply) reply = reply_to ("From: labo@x.org\r\n"
                                           "Subject: =?ISO-8859-1?Q?R=E9sultats?=\r\n"
                                           "Content-Type: text/plain; charset=ISO-8859-1\r\n"
                                           "Content-Transfer-Encoding: 8bit\r\n"
                                           "\r\n"
                                           "R\xe9sultats pr\xeats\r\n",
                                           CACHET_REPLY_TO_SENDER);

  g_assert_true (g_utf8_validate (reply->body, -1, NULL));
  g_assert_nonnull (strstr (reply->body, "> Résultats prêts\n"));
  g_assert_cmpstr (reply->subject, ==, "Re: Résultats");
}

static void
test_reply_html_quotes_text_only (void)
{
  g_autoptr(CachetReply) reply = reply_to ("From: labo@x.org\r\n"
                                           "Subject: HTML\r\n"
                                           "Content-Type: text/html; charset=utf-8\r\n"
                                           "\r\n"
                                           "<p>Visible <img src=\"http://attacker/x\"></p>\r\n",
                                           CACHET_REPLY_TO_SENDER);

  g_assert_nonnull (strstr (reply->body, "> Visible"));
  g_assert_null (strstr (reply->body, "attacker"));
  g_assert_null (strstr (reply->body, "<"));
}

static void
test_reply_encrypted_quotes_nothing (void)
{
  g_autoptr(CachetReply) reply = reply_to ("From: labo@x.org\r\n"
                                           "To: secretariat@demo.cachet.test\r\n"
                                           "Subject: Chiffré\r\n"
                                           "Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\r\n"
                                           "Content-Transfer-Encoding: base64\r\n"
                                           "\r\n"
                                           "MIAGCSqGSIb3DQEHA6CAMIACAQAxggE=\r\n",
                                           CACHET_REPLY_FORWARD);

  g_assert_true (reply->content_withheld);
  g_assert_cmpuint (reply->attachments->len, ==, 0);
  g_assert_null (strstr (reply->body, "MIAG"));
}

static void
test_forward_inline_with_attachments (void)
{
  g_autoptr(CachetReply) reply = reply_to ("From: Dr Martin <martin@x.org>\r\n"
                                           "To: secretariat@demo.cachet.test\r\n"
                                           "Subject: Compte rendu\r\n"
                                           "Date: Thu, 15 Jan 2026 10:30:00 +0100\r\n"
                                           "Message-ID: <cr@x.org>\r\n"
                                           "Content-Type: multipart/mixed; boundary=b\r\n"
                                           "\r\n"
                                           "--b\r\n"
                                           "Content-Type: text/plain; charset=utf-8\r\n"
                                           "\r\n"
                                           "Voici le compte rendu.\r\n"
                                           "--b\r\n"
                                           "Content-Type: application/pdf; name=cr.pdf\r\n"
                                           "Content-Disposition: attachment; filename=cr.pdf\r\n"
                                           "Content-Transfer-Encoding: base64\r\n"
                                           "\r\n"
                                           "JVBERi0xLjQK\r\n"
                                           "--b--\r\n",
                                           CACHET_REPLY_FORWARD);
  CachetReplyAttachment *attachment;

  g_assert_cmpuint (reply->to->len, ==, 0);
  g_assert_cmpstr (reply->subject, ==, "Fwd: Compte rendu");
  /* A forward starts no reply, but stays in the thread. */
  g_assert_null (reply->in_reply_to);
  g_assert_cmpstrv (reply->references, ADDRESSES ("cr@x.org"));
  g_assert_nonnull (strstr (reply->body, "From: Dr Martin <martin@x.org>\n"));
  g_assert_nonnull (strstr (reply->body, "Subject: Compte rendu\n"));
  g_assert_nonnull (strstr (reply->body, "\nVoici le compte rendu."));
  g_assert_cmpuint (reply->attachments->len, ==, 1);
  attachment = g_ptr_array_index (reply->attachments, 0);
  g_assert_cmpstr (attachment->file_name, ==, "cr.pdf");
  g_assert_cmpstr (attachment->content_type, ==, "application/pdf");
  g_assert_cmpmem (g_bytes_get_data (attachment->data, NULL), g_bytes_get_size (attachment->data), "%PDF-1.4\n", 9);
}

static void
test_reply_bounds_references (void)
{
  g_autoptr(GString) text = g_string_new ("From: a@x.org\r\nMessage-ID: <last@x.org>\r\nReferences:");
  g_autoptr(CachetReply) reply = NULL;

  for (guint i = 0; i < 200; i++)
    g_string_append_printf (text, " <r%u@x.org>", i);
  g_string_append (text, "\r\nSubject: long\r\n\r\nx\r\n");
  reply = reply_to (text->str, CACHET_REPLY_TO_SENDER);

  g_assert_cmpuint (g_strv_length (reply->references), ==, CACHET_MESSAGE_BUILDER_MAX_REFERENCES);
  g_assert_cmpstr (reply->references[0], ==, "r0@x.org");
  g_assert_cmpstr (reply->references[CACHET_MESSAGE_BUILDER_MAX_REFERENCES - 1], ==, "last@x.org");
}

int
main (int    argc,
      char **argv)
{
  cachet_test_init (&argc, &argv);
  cachet_mime_init ();

  g_test_add_func ("/composing/address/validate", test_address_validate);
  g_test_add_func ("/composing/address/parse-list", test_address_parse_list);
  g_test_add_func ("/composing/address/format-round-trip", test_address_format_round_trip);
  g_test_add_func ("/composing/builder/bcc-and-thread", test_builder_bcc_and_thread);
  g_test_add_func ("/composing/builder/refuses-header-injection", test_builder_refuses_header_injection);
  g_test_add_func ("/composing/builder/attachments-from-bytes", test_builder_attachments_from_bytes);
  g_test_add_func ("/composing/reply/subjects", test_reply_subjects);
  g_test_add_func ("/composing/reply/to-sender", test_reply_to_sender);
  g_test_add_func ("/composing/reply/to-all", test_reply_to_all);
  g_test_add_func ("/composing/reply/without-reply-to", test_reply_without_reply_to);
  g_test_add_func ("/composing/reply/to-own-message", test_reply_to_own_message);
  g_test_add_func ("/composing/reply/non-utf8-body", test_reply_non_utf8_body);
  g_test_add_func ("/composing/reply/html-quotes-text-only", test_reply_html_quotes_text_only);
  g_test_add_func ("/composing/reply/encrypted-quotes-nothing", test_reply_encrypted_quotes_nothing);
  g_test_add_func ("/composing/reply/forward-inline", test_forward_inline_with_attachments);
  g_test_add_func ("/composing/reply/bounds-references", test_reply_bounds_references);

  return g_test_run ();
}
