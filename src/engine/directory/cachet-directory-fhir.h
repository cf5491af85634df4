/* cachet-directory-fhir.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cachet-credentials-provider.h"
#include "cachet-directory.h"

G_BEGIN_DECLS

/* The Annuaire Santé FHIR API v2 of the ANS (open access data). */
#define CACHET_DIRECTORY_FHIR_DEFAULT_URL "https://gateway.api.esante.gouv.fr/fhir/v2"

/* The API key is kept by the credentials provider as the secret of this
 * pseudo-account: it belongs to the installation, not to a mail account. */
#define CACHET_DIRECTORY_FHIR_ACCOUNT_ID "annuaire-sante-fhir"

#define CACHET_TYPE_DIRECTORY_FHIR (cachet_directory_fhir_get_type ())

G_DECLARE_FINAL_TYPE (CachetDirectoryFhir, cachet_directory_fhir, CACHET, DIRECTORY_FHIR, GObject)

CachetDirectoryFhir *cachet_directory_fhir_new                 (const char                 *base_url,
                                                                CachetCredentialsProvider  *credentials);
void                 cachet_directory_fhir_set_timeout         (CachetDirectoryFhir        *self,
                                                                guint                       seconds);

void                 cachet_directory_fhir_search_async        (CachetDirectoryFhir        *self,
                                                                const char                 *text,
                                                                guint                       limit,
                                                                GCancellable               *cancellable,
                                                                GAsyncReadyCallback         callback,
                                                                gpointer                    user_data);
GListModel          *cachet_directory_fhir_search_finish       (CachetDirectoryFhir        *self,
                                                                GAsyncResult               *result,
                                                                GError                    **error);

GListModel          *cachet_directory_fhir_search_merged       (CachetDirectoryFhir        *self,
                                                                CachetDirectory            *directory,
                                                                const CachetDirectoryQuery *query,
                                                                GCancellable               *cancellable,
                                                                GAsyncReadyCallback         callback,
                                                                gpointer                    user_data);
gboolean             cachet_directory_fhir_search_merged_finish (CachetDirectoryFhir       *self,
                                                                GAsyncResult               *result,
                                                                GError                    **error);

G_END_DECLS
