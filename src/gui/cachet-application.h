/* cachet-application.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CACHET_TYPE_APPLICATION (cachet_application_get_type ())

G_DECLARE_FINAL_TYPE (CachetApplication, cachet_application, CACHET, APPLICATION, AdwApplication)

CachetApplication *cachet_application_new (void);

G_END_DECLS
