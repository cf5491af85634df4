/* cachet-composer-smime.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cachet-smime.h"

G_BEGIN_DECLS

void    cachet_composer_smime_find_missing_async  (CachetCertificateStore  *store,
                                                   const char * const      *addresses,
                                                   GCancellable            *cancellable,
                                                   GAsyncReadyCallback      callback,
                                                   gpointer                 user_data);
GStrv   cachet_composer_smime_find_missing_finish (CachetCertificateStore  *store,
                                                   GAsyncResult            *result,
                                                   GError                 **error);
void    cachet_composer_smime_import_async        (CachetCertificateStore  *store,
                                                   GFile                   *file,
                                                   GCancellable            *cancellable,
                                                   GAsyncReadyCallback      callback,
                                                   gpointer                 user_data);
gboolean cachet_composer_smime_import_finish      (CachetCertificateStore  *store,
                                                   GAsyncResult            *result,
                                                   GError                 **error);

G_END_DECLS
