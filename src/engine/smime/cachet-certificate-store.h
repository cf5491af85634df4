/* cachet-certificate-store.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <gnutls/x509.h>

#include "cachet-certificate.h"

G_BEGIN_DECLS

#define CACHET_TYPE_CERTIFICATE_STORE (cachet_certificate_store_get_type ())

G_DECLARE_FINAL_TYPE (CachetCertificateStore, cachet_certificate_store, CACHET, CERTIFICATE_STORE, GObject)

CachetCertificateStore   *cachet_certificate_store_new                      (const char              *directory);
void                      cachet_certificate_store_set_use_system_anchors   (CachetCertificateStore  *self,
                                                                             gboolean                 use_system_anchors);
GPtrArray                *cachet_certificate_store_import_file              (CachetCertificateStore  *self,
                                                                             const char              *path,
                                                                             GError                 **error);
GPtrArray                *cachet_certificate_store_trust_file               (CachetCertificateStore  *self,
                                                                             const char              *path,
                                                                             GError                 **error);
gboolean                  cachet_certificate_store_add_correspondent        (CachetCertificateStore  *self,
                                                                             CachetCertificate       *certificate,
                                                                             GError                 **error);
gboolean                  cachet_certificate_store_add_anchor               (CachetCertificateStore  *self,
                                                                             CachetCertificate       *certificate,
                                                                             GError                 **error);
gboolean                  cachet_certificate_store_remove_anchor            (CachetCertificateStore  *self,
                                                                             const char              *fingerprint,
                                                                             GError                 **error);
gboolean                  cachet_certificate_store_remove_certificate       (CachetCertificateStore  *self,
                                                                             const char              *fingerprint,
                                                                             GError                 **error);
GPtrArray                *cachet_certificate_store_remove_file              (CachetCertificateStore  *self,
                                                                             const char              *path,
                                                                             GError                 **error);
GPtrArray                *cachet_certificate_store_list_correspondents      (CachetCertificateStore  *self,
                                                                             GError                 **error);
GPtrArray                *cachet_certificate_store_list_anchors             (CachetCertificateStore  *self,
                                                                             GError                 **error);
GPtrArray                *cachet_certificate_store_lookup_address           (CachetCertificateStore  *self,
                                                                             const char              *address,
                                                                             GError                 **error);
gnutls_x509_trust_list_t  cachet_certificate_store_new_trust_list           (CachetCertificateStore  *self,
                                                                             GError                 **error);
gnutls_x509_trust_list_t  cachet_certificate_store_lock_anchors             (CachetCertificateStore  *self,
                                                                             GError                 **error);
void                      cachet_certificate_store_unlock_anchors           (CachetCertificateStore  *self);

GPtrArray                *cachet_certificates_from_data                     (GBytes                  *data,
                                                                             GError                 **error);

G_END_DECLS
