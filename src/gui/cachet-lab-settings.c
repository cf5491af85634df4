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

static void
layout_changed_cb (GSettings      *settings,
                   const char     *key,
                   CachetLabFiler *filer)
{
  cachet_lab_filer_set_layout (filer, cachet_lab_settings_get_layout (settings));
}

/**
 * cachet_lab_settings_follow_layout:
 * @settings: the application's settings
 * @filer: a filer that stays open, such as the Results window's
 *
 * Gives @filer the layout the user chose in Preferences, now and each time
 * it changes, for as long as @filer lives: a patient confirmed later is
 * filed as Preferences say at that moment.
 */
void
cachet_lab_settings_follow_layout (GSettings      *settings,
                                   CachetLabFiler *filer)
{
  static const char * const keys[] = { "lab-archive-by-year", "lab-html-beside-pdf", "lab-inbox-by-day" };

  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (CACHET_IS_LAB_FILER (filer));

  for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autofree char *signal = g_strconcat ("changed::", keys[i], NULL);

      g_signal_connect_object (settings, signal, G_CALLBACK (layout_changed_cb), filer, 0);
    }
  cachet_lab_filer_set_layout (filer, cachet_lab_settings_get_layout (settings));
}

/**
 * cachet_lab_settings_new_mail_import:
 * @settings: the application's settings
 * @store: the store of the account whose mail is filed
 *
 * Returns: (transfer full): an import of @store's mail into the folders and
 *   with the layout the user chose in Preferences; an empty folder setting
 *   means the default archive, or no practice software inbox
 */
CachetLabMailImport *
cachet_lab_settings_new_mail_import (GSettings   *settings,
                                     CachetStore *store)
{
  g_autofree char *archive = NULL;
  g_autofree char *inbox = NULL;
  CachetLabMailImport *import;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (CACHET_IS_STORE (store), NULL);

  archive = g_settings_get_string (settings, "lab-archive-folder");
  inbox = g_settings_get_string (settings, "lab-inbox-folder");
  import = cachet_lab_mail_import_new (store, NULL, *archive != '\0' ? archive : NULL,
                                       *inbox != '\0' ? inbox : NULL);
  cachet_lab_mail_import_set_layout (import, cachet_lab_settings_get_layout (settings));
  return import;
}
