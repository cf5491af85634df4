/* cachet-results-window.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cachet-lab-filer.h"

G_BEGIN_DECLS

#define CACHET_TYPE_RESULTS_WINDOW (cachet_results_window_get_type ())

G_DECLARE_FINAL_TYPE (CachetResultsWindow, cachet_results_window, CACHET, RESULTS_WINDOW, AdwWindow)

CachetResultsWindow *cachet_results_window_new             (CachetLabFiler       *filer);
const char          *cachet_results_window_describe_status (CachetLabEntryStatus  status);

G_END_DECLS
