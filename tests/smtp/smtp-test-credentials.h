/* smtp-test-credentials.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cachet-credentials-provider.h"

G_BEGIN_DECLS

#define SMTP_TYPE_TEST_CREDENTIALS (smtp_test_credentials_get_type ())

G_DECLARE_FINAL_TYPE (SmtpTestCredentials, smtp_test_credentials, SMTP, TEST_CREDENTIALS, GObject)

/* A CachetCredentialsProvider over a hash table: the test double of the
 * desktop keyring (which test-secret-credentials tests for real). */
SmtpTestCredentials *smtp_test_credentials_new          (void);
void                 smtp_test_credentials_set          (SmtpTestCredentials *self,
                                                         const char          *account_id,
                                                         CachetSecretKind     kind,
                                                         const char          *secret);
guint                smtp_test_credentials_get_lookups  (SmtpTestCredentials *self);

G_END_DECLS
