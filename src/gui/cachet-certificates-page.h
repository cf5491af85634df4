/* cachet-certificates-page.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cachet-account-list.h"
#include "cachet-certificate-store.h"
#include "cachet-credentials-provider.h"

G_BEGIN_DECLS

#define CACHET_TYPE_CERTIFICATES_PAGE (cachet_certificates_page_get_type ())

G_DECLARE_FINAL_TYPE (CachetCertificatesPage, cachet_certificates_page, CACHET, CERTIFICATES_PAGE, AdwPreferencesPage)

CachetCertificatesPage *cachet_certificates_page_new             (CachetAccountList         *accounts,
                                                                  CachetCertificateStore    *store,
                                                                  CachetCredentialsProvider *credentials);
void                    cachet_certificates_page_import_file     (CachetCertificatesPage    *self,
                                                                  GFile                     *file);
void                    cachet_certificates_page_add_anchor_file (CachetCertificatesPage    *self,
                                                                  GFile                     *file);
void                    cachet_certificates_page_export_certificate_async  (CachetCertificatesPage  *self,
                                                                            CachetAccount           *account,
                                                                            GFile                   *file,
                                                                            GCancellable            *cancellable,
                                                                            GAsyncReadyCallback      callback,
                                                                            gpointer                 user_data);
gboolean                cachet_certificates_page_export_certificate_finish (CachetCertificatesPage  *self,
                                                                            GAsyncResult            *result,
                                                                            GError                 **error);

G_END_DECLS
