/* cachet-smime-context.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gmime/gmime.h>

#include "cachet-certificate-store.h"
#include "cachet-smime-identity.h"

G_BEGIN_DECLS

/* Needed by G_DECLARE_FINAL_TYPE; GMime 3.2 defines no autoptr cleanups. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeCryptoContext, g_object_unref)

#define CACHET_TYPE_SMIME_CONTEXT (cachet_smime_context_get_type ())

G_DECLARE_FINAL_TYPE (CachetSmimeContext, cachet_smime_context, CACHET, SMIME_CONTEXT, GMimeCryptoContext)

void                cachet_smime_context_register     (void);
CachetSmimeContext *cachet_smime_context_new          (CachetCertificateStore *store);
void                cachet_smime_context_set_identity (CachetSmimeContext     *self,
                                                       CachetSmimeIdentity    *identity);

G_END_DECLS
