/* cachet-security-banner.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cachet-security-report.h"

G_BEGIN_DECLS

#define CACHET_TYPE_SECURITY_BANNER (cachet_security_banner_get_type ())

G_DECLARE_FINAL_TYPE (CachetSecurityBanner, cachet_security_banner, CACHET, SECURITY_BANNER, GtkBox)

CachetSecurityBanner *cachet_security_banner_new        (void);
CachetSecurityReport *cachet_security_banner_get_report (CachetSecurityBanner *self);
void                  cachet_security_banner_set_report (CachetSecurityBanner *self,
                                                         CachetSecurityReport *report);

G_END_DECLS
