"""What the browser tests ask of a page."""

# True once Chart.js has painted something on the indicator page's canvas.
CHART_DRAWN = (
    "() => { const c = document.getElementById('indicator-chart');"
    " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
    " for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) return true; } return false; }"
)
