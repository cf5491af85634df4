/* test-smime-sender.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cachet-gmime-autocleanups.h"
#include "cachet-mime.h"
#include "cachet-smime.h"
#include "cachet-test-utils.h"
#include "smime-test-pki.h"

/* The binding of signer and sender (security.md §1, I1–I3) against the
 * generated From: constructions of the shared samples: each is signed by
 * a trusted certificate of the attacker's address, put in place of eve's,
 * and only a message whose one From is plainly that address may come out
 * valid. Every other shows the reader someone else (a name that reads as
 * an address, reordered text, a second mailbox, a folded header) and must
 * not. */

#define SIGNER "alice@example.org"

/* Plainly from the signer: Sender names someone else, but From is what the
 * window shows and what the signature is bound to. */
static const char * const signed_by_sender[] = {
  "from-and-sender.eml",
};

#define ATTACKER "eve@attacker.invalid"

static GMimeMessage *
parse (GBytes *bytes)
{
  g_autoptr(GError) error = NULL;
  GMimeMessage *message = cachet_mime_parse_message (bytes, &error);

  g_assert_no_error (error);
  return message;
}

/* Byte for byte, since some samples hold a NUL. */
static GBytes *
with_signer_address (const char *text,
                     gsize       length)
{
  GString *out = g_string_sized_new (length);
  const char *end = text + length;
  const char *at = text;
  const char *hit;

  while ((hit = memmem (at, (gsize) (end - at), ATTACKER, strlen (ATTACKER))) != NULL)
    {
      g_string_append_len (out, at, hit - at);
      g_string_append (out, SIGNER);
      at = hit + strlen (ATTACKER);
    }
  g_string_append_len (out, at, end - at);
  return g_string_free_to_bytes (out);
}

/* The sample as the attacker sends it: signed, then read back as received. */
static GMimeMessage *
sign_sample (const char          *path,
             CachetSmimeIdentity *identity)
{
  g_autofree char *text = NULL;
  g_autofree char *wire = NULL;
  g_autoptr(GBytes) attacker = NULL;
  g_autoptr(GBytes) received = NULL;
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  g_file_get_contents (path, &text, &length, &error);
  g_assert_no_error (error);
  attacker = with_signer_address (text, length);
  message = parse (attacker);
  g_assert_true (cachet_smime_sign_message (message, identity, CACHET_SMIME_SIGN_DETACHED, &error));
  g_assert_no_error (error);
  wire = g_mime_object_to_string (GMIME_OBJECT (message), NULL);
  received = g_bytes_new_take (g_steal_pointer (&wire), strlen (wire));
  return parse (received);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

static void
test_generated_from (void)
{
  const SmimeTestPki *pki = smime_test_pki_get ();
  g_autofree char *samples = smime_test_samples_dir ();
  g_autofree char *root = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *store_dir = g_build_filename (g_get_home_dir (), "certificates", NULL);
  g_autoptr(CachetCertificateStore) store = cachet_certificate_store_new (store_dir);
  g_autoptr(CachetSmimeIdentity) identity = NULL;
  g_autoptr(GPtrArray) anchors = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;

  if (pki == NULL)
    return;
  root = g_build_filename (samples, "security", "01-smime-signature-spoofing", "generated-id-from", NULL);
  if (!g_file_test (root, G_FILE_TEST_IS_DIR))
    {
      g_test_skip_printf ("The shared samples are not here (%s); set CACHET_SAMPLES", root);
      return;
    }

  cachet_certificate_store_set_use_system_anchors (store, FALSE);
  anchors = cachet_certificate_store_trust_file (store, pki->ca, &error);
  g_assert_no_error (error);
  identity = cachet_smime_identity_load_pkcs12 (pki->alice_p12, SMIME_TEST_P12_PASSPHRASE, &error);
  g_assert_no_error (error);

  dir = g_dir_open (root, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".eml"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_assert_cmpuint (names->len, >=, 21);

  for (guint i = 0; i < names->len; i++)
    {
      const char *sample = g_ptr_array_index (names, i);
      g_autofree char *path = g_build_filename (root, sample, NULL);
      g_autoptr(GMimeMessage) message = sign_sample (path, identity);
      g_autoptr(CachetSecurityReport) report = cachet_smime_verify_message (message, store, &error);

      g_assert_no_error (error);
      g_test_message ("%s", sample);
      if (g_strv_contains (signed_by_sender, sample))
        {
          g_assert_cmpint (cachet_security_report_get_verdict (report), ==, CACHET_SECURITY_VERDICT_VALID);
          g_assert_cmpstr (cachet_security_report_get_sender (report), ==, SIGNER);
        }
      else
        {
          g_assert_cmpint (cachet_security_report_get_verdict (report), ==, CACHET_SECURITY_VERDICT_OTHER_ADDRESS);
          g_assert_true (cachet_security_report_has_reason (report, CACHET_SECURITY_REASON_SENDER_AMBIGUOUS) ||
                         cachet_security_report_has_reason (report, CACHET_SECURITY_REASON_ADDRESS_MISMATCH));
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  cachet_test_init (&argc, &argv);

  g_test_add_func ("/smime/sender/generated-from", test_generated_from);

  return g_test_run ();
}
