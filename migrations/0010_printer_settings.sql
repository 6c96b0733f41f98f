-- 0010_printer_settings: how QR codes are sent to the receipt printer.
--   native: the printer's own QR symbol (GS ( k model 2) — the default, cheap to render;
--   raster: the QR drawn as an image (GS 8 L / GS ( L) for printers without a QR generator.
ALTER TABLE printer_settings
  ADD COLUMN qr_mode TEXT NOT NULL DEFAULT 'native' CHECK (qr_mode IN ('native', 'raster'));
