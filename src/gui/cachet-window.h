/* cachet-window.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cachet-application.h"

G_BEGIN_DECLS

#define CACHET_TYPE_WINDOW (cachet_window_get_type ())

G_DECLARE_FINAL_TYPE (CachetWindow, cachet_window, CACHET, WINDOW, AdwApplicationWindow)

CachetWindow *cachet_window_new (CachetApplication *application);

G_END_DECLS
