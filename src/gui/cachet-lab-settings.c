/* cachet-lab-settings.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cachet-lab-settings.h"

/* The engine knows no GSettings: what Preferences keeps about filing lab
 * results is read here, on the main thread, and handed to the filer. */

/**
 * cachet_lab_settings_get_layout:
 * @settings: the application's settings
 *
 * Returns: the layout the user chose in Preferences
 */
CachetLabLayout
cachet_lab_settings_get_layout (GSettings *settings)
{
  CachetLabLayout layout = CACHET_LAB_LAYOUT_DEFAULT;

  g_return_val_if_fail (G_IS_SETTINGS (settings), CACHET_LAB_LAYOUT_DEFAULT);

  if (g_settings_get_boolean (settings, "lab-archive-by-year"))
    layout |= CACHET_LAB_LAYOUT_BY_YEAR;
  if (!g_settings_get_boolean (settings, "lab-html-beside-pdf"))
    layout |= CACHET_LAB_LAYOUT_HTML_ONLY_WITHOUT_PDF;
  if (g_settings_get_boolean (settings, "lab-inbox-by-day"))
    layout |= CACHET_LAB_LAYOUT_INBOX_BY_DAY;
  return layout;
}
