/* cachet-tls-interaction.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CACHET_TYPE_TLS_INTERACTION (cachet_tls_interaction_get_type ())

G_DECLARE_FINAL_TYPE (CachetTlsInteraction, cachet_tls_interaction, CACHET, TLS_INTERACTION,
                      GTlsInteraction)

CachetTlsInteraction *cachet_tls_interaction_new                       (GTlsInteraction      *application);
gboolean              cachet_tls_interaction_get_certificate_requested (CachetTlsInteraction *self);

G_END_DECLS
