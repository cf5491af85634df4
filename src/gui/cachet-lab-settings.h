/* cachet-lab-settings.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cachet-lab-filer.h"
#include "cachet-lab-mail-import.h"

G_BEGIN_DECLS

CachetLabLayout      cachet_lab_settings_get_layout      (GSettings      *settings);
void                 cachet_lab_settings_follow_layout   (GSettings      *settings,
                                                          CachetLabFiler *filer);
CachetLabMailImport *cachet_lab_settings_new_mail_import (GSettings      *settings,
                                                          CachetStore    *store);

G_END_DECLS
