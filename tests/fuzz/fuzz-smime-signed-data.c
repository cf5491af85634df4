/* fuzz-smime-signed-data.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Feeds arbitrary bytes to the SignedData decoder and checker, as a .p7s or
 * .p7m part from any sender reaches them: detached (the input itself posing
 * as the displayed part) and opaque. With no trust anchor, whatever the
 * input, the verdict is never "valid", and what the report shows of the
 * signer is bounded UTF-8. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cachet-smime-signed-data.h"

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

#define check(condition) do { if (!(condition)) abort (); } while (0)

static void
check_report (CachetSecurityReport *report)
{
  CachetCertificate *signer = cachet_security_report_get_signer (report);

  check (cachet_security_report_get_verdict (report) != CACHET_SECURITY_VERDICT_VALID);
  check (cachet_security_report_get_n_reasons (report) > 0);
  for (guint i = 0; i < cachet_security_report_get_n_reasons (report); i++)
    check (g_utf8_validate (cachet_security_report_get_reason_text (report, i), -1, NULL));
  if (signer != NULL)
    {
      const char * const *addresses = cachet_certificate_get_email_addresses (signer);

      check (g_utf8_validate (cachet_certificate_get_subject (signer), -1, NULL));
      check (strlen (cachet_certificate_get_fingerprint (signer)) == 64);
      for (guint i = 0; addresses[i] != NULL; i++)
        check (g_utf8_validate (addresses[i], -1, NULL) && strchr (addresses[i], '@') != NULL);
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, size);
  g_autoptr(CachetSignedData) signed_data = NULL;
  g_autoptr(CachetSecurityReport) detached = cachet_security_report_new ();
  g_autoptr(CachetSecurityReport) opaque = cachet_security_report_new ();
  g_autoptr(GBytes) content = NULL;
  gnutls_x509_trust_list_t anchors = NULL;
  g_autoptr(GError) error = NULL;

  signed_data = cachet_signed_data_new (bytes, &error);
  if (signed_data == NULL)
    {
      check (error != NULL && g_utf8_validate (error->message, -1, NULL));
      return 0;
    }

  check (gnutls_x509_trust_list_init (&anchors, 0) >= 0);
  cachet_signed_data_check (signed_data, bytes, anchors, detached);
  check_report (detached);
  cachet_signed_data_check (signed_data, NULL, anchors, opaque);
  check_report (opaque);
  gnutls_x509_trust_list_deinit (anchors, 1);

  content = cachet_signed_data_dup_content (signed_data);
  check (content == NULL || g_bytes_get_size (content) < size);

  return 0;
}
