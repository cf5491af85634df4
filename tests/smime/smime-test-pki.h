/* smime-test-pki.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "cachet-certificate-store.h"

G_BEGIN_DECLS

/**
 * SmimeTestPki:
 * @dir: where the files are
 * @ca: the test root CA (PEM), the only trust anchor
 * @intermediate: the CA under it that issued the certificates below
 * @alice_cert: for alice@example.org, with emailProtection
 * @alice_key: its key
 * @alice_p12: both with @intermediate, as PKCS #12 under %SMIME_TEST_P12_PASSPHRASE
 * @server_cert: for alice@example.org but serverAuth only
 * @server_key: its key
 * @expired_cert: for alice@example.org with emailProtection, expired in 2020
 * @expired_key: its key
 *
 * Certificates made with OpenSSL and certtool for one test run.
 */
typedef struct
{
  char *dir;
  char *ca;
  char *intermediate;
  char *alice_cert;
  char *alice_key;
  char *alice_p12;
  char *server_cert;
  char *server_key;
  char *expired_cert;
  char *expired_key;
} SmimeTestPki;

#define SMIME_TEST_P12_PASSPHRASE "secret"

const SmimeTestPki *smime_test_pki_get        (void);
void                smime_test_run            (const char          *first_arg,
                                               ...) G_GNUC_NULL_TERMINATED;
void                smime_test_run_with_input (const char          *input,
                                               const char          *first_arg,
                                               ...) G_GNUC_NULL_TERMINATED;
char               *smime_test_run_output     (const char * const  *argv,
                                               const char          *input,
                                               gboolean            *success);
char               *smime_test_samples_dir    (void);
CachetCertificate  *smime_test_load_certificate (const char       *path);
char               *smime_test_path           (const char          *name);
void                smime_test_write_bytes    (const char          *path,
                                               GBytes              *bytes);
CachetCertificateStore *smime_test_new_store  (gboolean             trust_ca);
char               *smime_test_use_gnupg_home (const char          *name);
void                smime_test_stop_gnupg_agent (const char        *home);
void                smime_test_make_gnupg_home (const char         *key,
                                               const char          *cert,
                                               const char          *chain,
                                               const char          *also_import);

G_END_DECLS
