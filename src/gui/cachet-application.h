/* cachet-application.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cachet-account-list.h"
#include "cachet-certificate-store.h"
#include "cachet-credentials-provider.h"
#include "cachet-sender-service.h"
#include "cachet-store.h"

G_BEGIN_DECLS

#define CACHET_TYPE_APPLICATION (cachet_application_get_type ())

G_DECLARE_FINAL_TYPE (CachetApplication, cachet_application, CACHET, APPLICATION, AdwApplication)

CachetApplication         *cachet_application_new             (void);
CachetAccountList         *cachet_application_get_accounts    (CachetApplication *self);
CachetCredentialsProvider *cachet_application_get_credentials (CachetApplication *self);
CachetStore               *cachet_application_get_store       (CachetApplication  *self,
                                                               CachetAccount      *account,
                                                               GError            **error);
CachetSenderService       *cachet_application_get_sender      (CachetApplication  *self);
CachetCertificateStore    *cachet_application_get_certificate_store (CachetApplication  *self);
gboolean                   cachet_application_queue_message   (CachetApplication  *self,
                                                               CachetAccount      *account,
                                                               GBytes             *message,
                                                               const char * const *recipients,
                                                               GError            **error);

G_END_DECLS
