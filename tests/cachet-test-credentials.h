/* cachet-test-credentials.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cachet-credentials-provider.h"

G_BEGIN_DECLS

#define CACHET_TYPE_TEST_CREDENTIALS (cachet_test_credentials_get_type ())

G_DECLARE_FINAL_TYPE (CachetTestCredentials, cachet_test_credentials, CACHET, TEST_CREDENTIALS, GObject)

/* A CachetCredentialsProvider over a hash table: the test double of the
 * desktop keyring (which test-secret-credentials tests for real). */
CachetTestCredentials *cachet_test_credentials_new         (void);
void                   cachet_test_credentials_set         (CachetTestCredentials *self,
                                                            const char            *account_id,
                                                            CachetSecretKind       kind,
                                                            const char            *secret);
guint                  cachet_test_credentials_get_lookups (CachetTestCredentials *self);
void                   cachet_test_credentials_set_hold    (CachetTestCredentials *self,
                                                            gboolean               hold);
gboolean               cachet_test_credentials_is_holding  (CachetTestCredentials *self);
void                   cachet_test_credentials_release     (CachetTestCredentials *self);

G_END_DECLS
