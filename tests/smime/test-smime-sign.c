/* test-smime-sign.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cachet-gmime-autocleanups.h"
#include "cachet-mime.h"
#include "cachet-smime.h"
#include "cachet-test-utils.h"
#include "smime-test-pki.h"

/* Detached signing at Send (cachet_smime_protect_message()) signs the
 * bytes it sends: for messages whose encoding must change on the way (bare
 * LF, 8-bit text, lines over 998 characters, lines that begin with
 * "From ", text that looks like our boundaries), OpenSSL verifies what
 * comes out, as it does signed and then encrypted, and what the reader
 * sees is the text written. The signed message is built as bytes, not
 * written by GMime: GMime must read it as exactly what it would write. */

#define ATTACHMENT "JVBERi0xLjQKJcOkw7zDtsOfCjIgMCBvYmoKPDwvTGVuZ3RoIDMgMCBSPj4Kc3RyZWFtCg=="

typedef struct
{
  const char *name;
  const char *message;
  /* What the first text part reads, line ends aside. */
  const char *text;
} Shape;

static const SmimeTestPki *pki;

static char *
long_line_message (const char *line)
{
  return g_strconcat ("From: Alice <alice@example.org>\r\n"
                      "To: bob@example.org\r\n"
                      "Subject: long\r\n"
                      "MIME-Version: 1.0\r\n"
                      "Content-Type: text/plain; charset=us-ascii\r\n"
                      "\r\n",
                      line, "\r\n", NULL);
}

static GMimeObject *
first_leaf (GMimeObject *object)
{
  while (GMIME_IS_MULTIPART (object))
    object = g_mime_multipart_get_part (GMIME_MULTIPART (object), 0);
  return object;
}

static char *
without_cr (const char *text)
{
  g_auto(GStrv) pieces = g_strsplit (text, "\r", -1);

  return g_strjoinv ("", pieces);
}

static void
assert_reads (CachetSecurityReport *report,
              const char           *expected)
{
  GMimeObject *leaf = first_leaf (cachet_security_report_get_content (report));
  g_autofree char *text = NULL;
  g_autofree char *plain = NULL;

  g_assert_true (GMIME_IS_TEXT_PART (leaf));
  text = g_mime_text_part_get_text (GMIME_TEXT_PART (leaf));
  plain = without_cr (text);
  g_assert_cmpstr (plain, ==, expected);
}

static char *
write_sent (const char *name,
            GBytes     *sent)
{
  char *path = g_build_filename (pki->dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, g_bytes_get_data (sent, NULL), (gssize) g_bytes_get_size (sent), &error);
  g_assert_no_error (error);
  return path;
}

static void
assert_openssl_verifies (const char *path)
{
  const char *argv[] = { "openssl", "cms", "-verify", "-in", path, "-CAfile", pki->ca,
                         "-purpose", "smimesign", "-out", "/dev/null", NULL };
  g_autofree char *output = NULL;
  gboolean success;

  output = smime_test_run_output (argv, NULL, &success);
  g_assert_true (success);
  g_assert_nonnull (strstr (output, "Verification successful"));
}

/* @sent parsed, then written out again as the builder writes messages. */
static GBytes *
rewritten (GBytes *sent)
{
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(GMimeStream) stream = g_mime_stream_mem_new ();
  GMimeFormatOptions *format = g_mime_format_options_new ();
  g_autoptr(GError) error = NULL;
  GByteArray *array;

  message = cachet_mime_parse_message (sent, &error);
  g_assert_no_error (error);
  g_mime_format_options_set_newline_format (format, GMIME_NEWLINE_FORMAT_DOS);
  g_assert_cmpint (g_mime_object_write_to_stream (GMIME_OBJECT (message), format, stream), >, 0);
  g_mime_format_options_free (format);
  array = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (stream));
  return g_bytes_new (array->data, array->len);
}

static CachetSecurityReport *
verify (GBytes                 *sent,
        CachetCertificateStore *store)
{
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  CachetSecurityReport *report;

  message = cachet_mime_parse_message (sent, &error);
  g_assert_no_error (error);
  report = cachet_smime_verify_message (message, store, &error);
  g_assert_no_error (error);
  return report;
}

static void
test_shapes (void)
{
  g_autofree char *line = g_strnfill (1200, 'x');
  g_autofree char *long_message = long_line_message (line);
  g_autofree char *long_text = g_strconcat (line, "\n", NULL);
  g_autofree char *directory = NULL;
  g_autoptr(CachetCertificateStore) store = NULL;
  g_autoptr(CachetSmimeIdentity) alice = NULL;
  g_autoptr(GPtrArray) anchors = NULL;
  g_autoptr(GPtrArray) kept = NULL;
  g_autoptr(GError) error = NULL;
  const Shape shapes[] = {
      { "from-lines",
        "From: Alice <alice@example.org>\r\nTo: bob@example.org\r\nSubject: lab\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=us-ascii\r\n\r\n"
        "Bonjour,\r\nFrom the lab: normal results.\r\nspaces at the end   \r\n.\r\n",
        "Bonjour,\nFrom the lab: normal results.\nspaces at the end   \n.\n" },
      { "bare-lf-8bit",
        "From: Alice <alice@example.org>\nTo: bob@example.org\nSubject: =?utf-8?q?R=C3=A9sultats?=\n"
        "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
        "Résultats : hémoglobine 14 g/dl.\nÀ bientôt.\n",
        "Résultats : hémoglobine 14 g/dl.\nÀ bientôt.\n" },
      { "multipart",
        "From: Alice <alice@example.org>\r\nTo: bob@example.org\r\nSubject: report\r\nMIME-Version: 1.0\r\n"
        "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
        "This is a multi-part message in MIME format.\r\n"
        "--b1\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        "Ci-joint le compte rendu.\r\nFrom here on, see the PDF.\r\n"
        "--b1\r\nContent-Type: application/pdf; name=\"CR.pdf\"\r\n"
        "Content-Disposition: attachment; filename=\"CR.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        ATTACHMENT "\r\n--b1--\r\n",
        /* The line end before a boundary is the boundary's. */
        "Ci-joint le compte rendu.\nFrom here on, see the PDF." },
      { "long-line", long_message, long_text },
      /* Lines shaped as GMime's boundaries, and a part with one of them:
       * the boundary drawn for the signature is none of them. */
      { "boundary-like",
        "From: Alice <alice@example.org>\r\nTo: bob@example.org\r\nSubject: b\r\nMIME-Version: 1.0\r\n"
        "Content-Type: multipart/mixed; boundary=\"=-AAAAAAAAAAAAAAAAAAAAAA==\"\r\n\r\n"
        "--=-AAAAAAAAAAAAAAAAAAAAAA==\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n"
        "--=-\r\n--=-BBBBBBBBBBBBBBBBBBBBBB==\r\n--=-BBBBBBBBBBBBBBBBBBBBBB==--\r\n"
        "--=-AAAAAAAAAAAAAAAAAAAAAA==--\r\n",
        "--=-\n--=-BBBBBBBBBBBBBBBBBBBBBB==\n--=-BBBBBBBBBBBBBBBBBBBBBB==--" },
  };

  if ((pki = smime_test_pki_get ()) == NULL)
    return;

  directory = g_dir_make_tmp ("store-XXXXXX", &error);
  g_assert_no_error (error);
  store = cachet_certificate_store_new (directory);
  cachet_certificate_store_set_use_system_anchors (store, FALSE);
  anchors = cachet_certificate_store_trust_file (store, pki->ca, &error);
  g_assert_no_error (error);
  kept = cachet_certificate_store_import_file (store, pki->alice_cert, &error);
  g_assert_no_error (error);
  alice = cachet_smime_identity_load_pkcs12 (pki->alice_p12, SMIME_TEST_P12_PASSPHRASE, &error);
  g_assert_no_error (error);

  for (gsize i = 0; i < G_N_ELEMENTS (shapes); i++)
    {
      const char * const to_alice[] = { "alice@example.org", NULL };
      g_autoptr(GBytes) plain = g_bytes_new_static (shapes[i].message, strlen (shapes[i].message));
      g_autoptr(GBytes) sent = NULL;
      g_autoptr(GBytes) again = NULL;
      g_autoptr(GBytes) sealed = NULL;
      g_autoptr(CachetSecurityReport) report = NULL;
      g_autoptr(CachetSecurityReport) decrypted = NULL;
      g_autoptr(GMimeMessage) sealed_message = NULL;
      g_autoptr(GMimeObject) entity = NULL;
      g_autofree char *name = g_strconcat (shapes[i].name, ".eml", NULL);
      g_autofree char *sealed_name = g_strconcat (shapes[i].name, "-sealed.eml", NULL);
      g_autofree char *opened_name = g_strconcat (shapes[i].name, "-opened.eml", NULL);
      g_autofree char *path = NULL;
      g_autofree char *sealed_path = NULL;
      g_autofree char *opened_path = NULL;
      const char *bytes;

      g_test_message ("%s", shapes[i].name);
      sent = cachet_smime_protect_message (plain, alice, store, NULL, TRUE, FALSE, &error);
      g_assert_no_error (error);
      bytes = g_bytes_get_data (sent, NULL);
      /* Sent with CRLF only, and no line that a mailbox would change. */
      for (gsize j = 0; j < g_bytes_get_size (sent); j++)
        {
          if (bytes[j] == '\n')
            g_assert_true (j > 0 && bytes[j - 1] == '\r');
          g_assert_false (bytes[j] == 'F' && (j == 0 || bytes[j - 1] == '\n') &&
                          g_str_has_prefix (bytes + j, "From "));
        }

      again = rewritten (sent);
      g_assert_true (g_bytes_equal (again, sent));

      path = write_sent (name, sent);
      assert_openssl_verifies (path);
      report = verify (sent, store);
      g_assert_cmpint (cachet_security_report_get_verdict (report), ==, CACHET_SECURITY_VERDICT_VALID);
      assert_reads (report, shapes[i].text);

      /* Signed, then encrypted for the sender only: opened by OpenSSL,
       * then verified by it, and read back here. */
      sealed = cachet_smime_protect_message (plain, alice, store, to_alice, TRUE, TRUE, &error);
      g_assert_no_error (error);
      sealed_path = write_sent (sealed_name, sealed);
      opened_path = g_build_filename (pki->dir, opened_name, NULL);
      smime_test_run ("openssl", "cms", "-decrypt", "-in", sealed_path, "-recip", pki->alice_cert,
                      "-inkey", pki->alice_key, "-out", opened_path, NULL);
      assert_openssl_verifies (opened_path);
      sealed_message = cachet_mime_parse_message (sealed, &error);
      g_assert_no_error (error);
      entity = cachet_smime_decrypt_message (sealed_message, alice, store, &decrypted, &error);
      g_assert_no_error (error);
      g_assert_cmpint (cachet_security_report_get_verdict (decrypted), ==, CACHET_SECURITY_VERDICT_VALID);
      g_assert_true (cachet_security_report_is_encrypted (decrypted));
      assert_reads (decrypted, shapes[i].text);
    }
}

int
main (int   argc,
      char *argv[])
{
  cachet_test_init (&argc, &argv);

  g_test_add_func ("/smime/sign/shapes", test_shapes);

  return g_test_run ();
}
