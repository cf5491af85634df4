/* cachet-certificate.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <gnutls/x509.h>

G_BEGIN_DECLS

#define CACHET_TYPE_CERTIFICATE (cachet_certificate_get_type ())

G_DECLARE_FINAL_TYPE (CachetCertificate, cachet_certificate, CACHET, CERTIFICATE, GObject)

CachetCertificate  *cachet_certificate_new_from_der            (GBytes             *der,
                                                                GError            **error);
CachetCertificate  *cachet_certificate_new_from_crt            (gnutls_x509_crt_t   crt,
                                                                GError            **error);
GBytes             *cachet_certificate_get_der                 (CachetCertificate  *self);
const char         *cachet_certificate_get_subject             (CachetCertificate  *self);
const char         *cachet_certificate_get_issuer              (CachetCertificate  *self);
const char * const *cachet_certificate_get_email_addresses     (CachetCertificate  *self);
GDateTime          *cachet_certificate_get_not_before          (CachetCertificate  *self);
GDateTime          *cachet_certificate_get_not_after           (CachetCertificate  *self);
const char         *cachet_certificate_get_fingerprint         (CachetCertificate  *self);
gboolean            cachet_certificate_has_email_address       (CachetCertificate  *self,
                                                                const char         *address);
gboolean            cachet_certificate_is_expired              (CachetCertificate  *self,
                                                                GDateTime          *now);
gnutls_x509_crt_t   cachet_certificate_to_crt                  (CachetCertificate  *self);
char               *cachet_certificate_to_pem                  (CachetCertificate  *self);

G_END_DECLS
