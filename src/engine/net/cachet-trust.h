/* cachet-trust.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CACHET_TYPE_TRUST (cachet_trust_get_type ())

G_DECLARE_FINAL_TYPE (CachetTrust, cachet_trust, CACHET, TRUST, GObject)

CachetTrust  *cachet_trust_new_system      (GError              **error);
CachetTrust  *cachet_trust_new_for_ca_file (const char           *ca_file,
                                            GError              **error);
GTlsDatabase *cachet_trust_get_database    (CachetTrust          *self);
gboolean      cachet_trust_check           (CachetTrust          *self,
                                            GTlsCertificateFlags  errors,
                                            const char           *host,
                                            GError              **error);

G_END_DECLS
