/* cachet-smime-signed-data.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <gnutls/x509.h>

#include "cachet-security-report.h"
#include "cachet-smime-identity.h"

G_BEGIN_DECLS

/**
 * CACHET_SIGNED_DATA_MAX_SIZE:
 *
 * The largest CMS SignedData decoded, content included: above any message an
 * MSSanté operator accepts.
 */
#define CACHET_SIGNED_DATA_MAX_SIZE (64 * 1024 * 1024)

typedef struct _CachetSignedData CachetSignedData;

CachetSignedData *cachet_signed_data_new          (GBytes                    *der,
                                                   GError                   **error);
void              cachet_signed_data_free         (CachetSignedData          *self);
GBytes           *cachet_signed_data_dup_content  (CachetSignedData          *self);
void              cachet_signed_data_check        (CachetSignedData          *self,
                                                   GBytes                    *detached_content,
                                                   gnutls_x509_trust_list_t   anchors,
                                                   CachetSecurityReport      *report);
GBytes           *cachet_signed_data_sign         (CachetSmimeIdentity       *identity,
                                                   GBytes                    *content,
                                                   gboolean                   detached,
                                                   GError                   **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CachetSignedData, cachet_signed_data_free)

G_END_DECLS
